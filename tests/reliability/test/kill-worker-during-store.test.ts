// kill -9 of the only worker while it stores a 200k-product feed; a new worker
// finishes the run. The database holds exactly the feed's products and the
// result's counts are exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvFeed } from '../src/feeds.js';
import { startHarvestSetup, type HarvestSetup } from '../src/harvest-setup.js';
import { activityCounts, storeHolder, waitForStoreUnderWay } from '../src/store-progress.js';

const TOTAL = 200_000;
let h: HarvestSetup;

beforeAll(async () => {
  h = await startHarvestSetup();
  h.feeds.set('/big.csv', { body: csvFeed(TOTAL) });
  await h.addSupplier({ id: 'big', feedUrl: h.feeds.url('/big.csv'), format: 'csv' });
});
afterAll(async () => {
  await h?.stop();
});

describe('kill -9 of the worker in the middle of storing a 200k-product feed', () => {
  it('a new worker finishes the run with exact counts and exactly the feed in the database', async () => {
    const started = Date.now();
    // Short host timeouts: the killed worker's queue is given up after 5 s instead of a minute.
    const handle = await h.start('big', { hostTimeouts: { scheduleToStart: '5s', heartbeat: '5s' } });
    const storedAtKill = await waitForStoreUnderWay(h, 'big', TOTAL, TOTAL / 4);
    const holder = await storeHolder(handle);
    const victim = h.workers[0]!;
    expect(holder.startsWith(`${victim.pid}@`), holder).toBe(true);
    victim.child.kill('SIGKILL');
    await victim.exited;
    expect(victim.child.signalCode).toBe('SIGKILL');

    const successor = await h.startWorker();
    const result = await h.result(handle);
    expect(result).toMatchObject({ status: 'completed', created: TOTAL, updated: 0, unchanged: 0, invalid: 0, duplicates: 0, markedMissing: 0 });
    expect(await h.count('big')).toBe(TOTAL);
    const [distinct] = await h.catalog.query<{ n: number }>(
      `select count(distinct external_id)::int as n from dealer_products where tenant_id = $1 and supplier_id = 'big'`,
      [h.tenantId],
    );
    expect(distinct?.n).toBe(TOTAL);
    // It started over on the new worker: the store step ran on a second worker's host queue.
    const counts = await activityCounts(handle);
    expect(new Set(counts.parseAndStoreProducts?.taskQueues).size, JSON.stringify(counts)).toBeGreaterThanOrEqual(2);
    expect(successor.child.exitCode).toBeNull();
    process.stdout.write(
      `[reliability] kill -9: ${storedAtKill} of ${TOTAL} stored when the holder (pid ${victim.pid}) was killed; ` +
        `the new worker (pid ${successor.pid}) finished in ${((Date.now() - started) / 1000).toFixed(1)} s total\n`,
    );
  });
});

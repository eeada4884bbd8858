// SIGTERM to the worker that is storing a harvest: it stops taking work, the
// in-flight store step finishes there within the shutdown grace (or, if it
// cannot, is retried elsewhere from its checkpoint), and no progress is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvFeed } from '../src/feeds.js';
import { startHarvestSetup, type HarvestSetup } from '../src/harvest-setup.js';
import { activityCounts, storeHolder, storedSoFar, waitForStoreUnderWay } from '../src/store-progress.js';

const TOTAL = 100_000;
let h: HarvestSetup;

beforeAll(async () => {
  // Two workers; a generous grace (60 s) so the store can finish where it runs.
  h = await startHarvestSetup({ workers: 2, workerEnv: { WORKER_SHUTDOWN_GRACE_SECONDS: '60' } });
  h.feeds.set('/big.csv', { body: csvFeed(TOTAL) });
  await h.addSupplier({ id: 'big', feedUrl: h.feeds.url('/big.csv'), format: 'csv' });
});
afterAll(async () => {
  await h?.stop();
});

describe('SIGTERM to a worker during a harvest', () => {
  it('the in-flight store finishes (or resumes elsewhere), the worker exits cleanly, and the counts are exact', async () => {
    const handle = await h.start('big', { hostTimeouts: { scheduleToStart: '10s', heartbeat: '10s' } });
    const storedAtSignal = await waitForStoreUnderWay(h, 'big', TOTAL, 10_000);
    const holder = await storeHolder(handle);
    const victim = h.workers.find((worker) => holder.startsWith(`${worker.pid}@`));
    expect(victim, holder).toBeDefined();
    victim!.child.kill('SIGTERM');

    const code = await victim!.exited;
    expect(code, victim!.output().slice(-3000)).toBe(0);
    expect(victim!.logs().some((line) => line.msg === 'Shutdown requested; draining the worker')).toBe(true);
    const storedAtExit = await storedSoFar(h, 'big');
    expect(storedAtExit).toBeGreaterThanOrEqual(storedAtSignal); // nothing committed was undone

    const result = await h.result(handle);
    expect(result).toMatchObject({ status: 'completed', created: TOTAL, updated: 0, unchanged: 0, invalid: 0, markedMissing: 0 });
    expect(await h.count('big')).toBe(TOTAL);
    const counts = await activityCounts(handle);
    const finishedInPlace = counts.parseAndStoreProducts?.scheduled === 1 && counts.parseAndStoreProducts.maxAttempt === 1;
    process.stdout.write(
      `[reliability] SIGTERM: ${storedAtSignal} of ${TOTAL} stored at the signal, ${storedAtExit} when the worker exited (code ${code}); ` +
        `${finishedInPlace ? 'the store step finished on the signalled worker' : 'the store step resumed on the other worker'}\n`,
    );
  });
});

// PostgreSQL stopped for 20 s in the middle of a run (its own server, not the
// shared one): the store step's attempts fail while it is down, are retried,
// and the run completes with exact counts once it is back.
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPostgres, type PostgresServer } from '@contextworker/dev-servers';
import { uniqueSuffix } from '@contextworker/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvFeed } from '../src/feeds.js';
import { startHarvestSetup, type HarvestSetup } from '../src/harvest-setup.js';
import { activityCounts, waitForStoreUnderWay } from '../src/store-progress.js';

const TOTAL = 100_000;
const OUTAGE_MS = 20_000;
// A data directory of our own that survives stop(): the server comes back with its data.
const dataDir = join(tmpdir(), `cw-reliability-pg-${uniqueSuffix()}`);
let postgres: PostgresServer;
let h: HarvestSetup;

beforeAll(async () => {
  postgres = await startPostgres({ dataDir });
  h = await startHarvestSetup({ databaseUrl: postgres.url });
  h.feeds.set('/big.csv', { body: csvFeed(TOTAL) });
  await h.addSupplier({ id: 'big', feedUrl: h.feeds.url('/big.csv'), format: 'csv' });
});
afterAll(async () => {
  await h?.stop();
  await postgres?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('PostgreSQL stopped for 20 s in the middle of a run', () => {
  it('the run completes after retries, with exact counts', async () => {
    const handle = await h.start('big');
    const storedBefore = await waitForStoreUnderWay(h, 'big', TOTAL, 10_000);
    const port = postgres.port;
    await postgres.stop();
    await sleep(OUTAGE_MS);
    postgres = await startPostgres({ dataDir, port });

    const result = await h.result(handle);
    expect(result).toMatchObject({ status: 'completed', created: TOTAL, updated: 0, unchanged: 0, invalid: 0, markedMissing: 0 });
    expect(await h.count('big')).toBe(TOTAL);
    // The outage really hit the run: some activity needed more than one attempt.
    const counts = await activityCounts(handle);
    const retried = Object.entries(counts).filter(([, c]) => c.maxAttempt > 1).map(([name]) => name);
    expect(retried.length, JSON.stringify(counts)).toBeGreaterThan(0);
    for (const worker of h.workers) expect(worker.child.exitCode).toBeNull();
    process.stdout.write(`[reliability] postgres outage: ${storedBefore} of ${TOTAL} stored when PostgreSQL stopped; retried: ${retried.join(', ')}\n`);
  });
});

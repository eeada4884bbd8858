// The Temporal dev server (its own, with a database file) restarted in the
// middle of a run: the workers reconnect and the run completes with exact counts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort, findTemporalCli, startTemporalDevServer, type TemporalDevServer } from '@contextworker/dev-servers';
import { createTestClient } from '@contextworker/test-utils';
import type { HarvestResult } from '@contextworker/harvester';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvFeed } from '../src/feeds.js';
import { startHarvestSetup, type HarvestSetup } from '../src/harvest-setup.js';
import { waitForStoreUnderWay } from '../src/store-progress.js';

const TOTAL = 100_000;
const DOWN_MS = 10_000;
let dir: string;
let cliPath: string;
let port: number;
let temporal: TemporalDevServer;
let h: HarvestSetup;

const startTemporal = () => startTemporalDevServer({ cliPath, port, dbFilename: join(dir, 'temporal.sqlite') });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cw-reliability-temporal-'));
  const found = await findTemporalCli();
  if (!found) throw new Error('no Temporal CLI (set TEMPORAL_CLI_PATH)');
  cliPath = found;
  port = await findFreePort('127.0.0.1');
  temporal = await startTemporal();
  h = await startHarvestSetup({ temporalAddress: temporal.address });
  h.feeds.set('/big.csv', { body: csvFeed(TOTAL) });
  await h.addSupplier({ id: 'big', feedUrl: h.feeds.url('/big.csv'), format: 'csv' });
});
afterAll(async () => {
  await h?.stop();
  await temporal?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the Temporal dev server restarted in the middle of a run', () => {
  it('workers reconnect and the run completes with exact counts', async () => {
    const handle = await h.start('big');
    const storedBefore = await waitForStoreUnderWay(h, 'big', TOTAL, 10_000);
    await temporal.stop();
    await sleep(DOWN_MS);
    temporal = await startTemporal();

    // The workflow survived in the database file; a fresh client reads its result.
    const client = await createTestClient({ address: temporal.address });
    try {
      const result = (await h.result(client.workflow.getHandle(handle.workflowId))) as HarvestResult;
      expect(result).toMatchObject({ status: 'completed', created: TOTAL, updated: 0, unchanged: 0, invalid: 0, markedMissing: 0 });
    } finally {
      await client.connection.close();
    }
    expect(await h.count('big')).toBe(TOTAL);
    for (const worker of h.workers) expect(worker.child.exitCode, worker.output().slice(-3000)).toBeNull();
    process.stdout.write(`[reliability] temporal restart: ${storedBefore} of ${TOTAL} stored when the server stopped for ${DOWN_MS / 1000} s\n`);
  });
});

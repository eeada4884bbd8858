import { setTimeout as sleep } from 'node:timers/promises';
import { countProducts } from '@contextworker/catalog';
import { connectDatabase, uniqueSuffix } from '@contextworker/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarvestHarness, type HarvestHarness } from './harvest-harness.js';
import { csvFeed, sampleProducts } from './feeds.js';

let h: HarvestHarness;
beforeAll(async () => {
  // Small batches: the store step spans many statements, so the fault lands in the middle.
  h = await startHarvestHarness({ module: { batchSize: 250 } });
});
afterAll(async () => {
  await h?.stop();
});

describe('a store step interrupted mid-way', () => {
  it('resumes after its last committed batch: no duplicate rows, exact counts', async () => {
    const total = 20_000;
    h.feeds.set('/big.csv', { body: csvFeed(sampleProducts(total)) });
    await h.addSupplier({ id: 'big', feedUrl: h.feeds.url('/big.csv'), format: 'csv' });
    const handle = await h.client.workflow.start('HarvestWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: `harvest-big-${uniqueSuffix()}`,
      args: [{ supplierId: 'big', enrich: false }],
    });

    // Wait until some batches are committed, then cut the worker's database connections.
    const admin = connectDatabase(h.databaseUrl);
    let stored = 0;
    const deadline = Date.now() + 60_000;
    while (stored === 0 || stored >= total) {
      if (Date.now() > deadline) throw new Error('the store step never started');
      const [row] = await admin<{ stored: number | null }[]>`
        select (store_progress->>'recordsStored')::int as stored from harvest_runs where supplier_id = 'big'`;
      stored = row?.stored ?? 0;
      if (stored > 0 && stored < total) break;
      await sleep(20);
    }
    // Only connections past their first query: the postgres driver (3.4.9) does not handle an error in the
    // array-type query it runs on a new connection, and a kill that lands there is an unhandled rejection.
    const killed = await admin`
      select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
        and query <> '' and query not like '%typarray%'`;
    await admin.end();
    expect(killed.length).toBeGreaterThan(0);

    const result = await handle.result();
    expect(result).toMatchObject({ status: 'completed', created: total, updated: 0, unchanged: 0 });
    expect(await countProducts(h.catalog, { tenantId: h.tenantId, supplierId: 'big' })).toBe(total);
    // The activity really was retried.
    const history = await handle.fetchHistory();
    const failedAttempts = history.events?.filter((e) => e.activityTaskStartedEventAttributes && (e.activityTaskStartedEventAttributes.attempt ?? 1) > 1) ?? [];
    expect(failedAttempts.length).toBeGreaterThan(0);
  });
});

// GardenerWorkflow on the dev server with two worker processes sharing a task queue, real
// PostgreSQL and a loopback router that counts classifications per product.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uniqueSuffix } from '@contextworker/test-utils';
import type { WorkflowHandle } from '@temporalio/client';
import type { GardenerInput, GardenerResult } from '../src/index.js';
import { startGardenerHarness, type GardenerHarness } from './gardener-harness.js';

type HistoryEvents = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>;

let harness: GardenerHarness;

beforeAll(async () => {
  harness = await startGardenerHarness({ processes: 2, routerDelayMs: 20 });
}, 240_000);

afterAll(async () => {
  await harness?.stop();
});

beforeEach(async () => {
  harness.classifyCalls.clear();
  await harness.catalog.query(`delete from dealer_products`);
});

const sweep = (input: GardenerInput, workflowId = `gardener-${harness.tenantId}-${uniqueSuffix()}`) =>
  harness.client.workflow.execute('GardenerWorkflow', { taskQueue: harness.taskQueue, workflowId, args: [input] }) as Promise<GardenerResult>;

/** The identities (pid@host) of the workers that ran the activities of a workflow, over all its runs. */
async function activityWorkers(workflowId: string): Promise<Set<string>> {
  const identities = new Set<string>();
  let runId: string | undefined = (await harness.client.workflow.getHandle(workflowId).describe()).runId;
  // Walk back from the last run: each run after the first names the run it continued.
  while (runId) {
    const events: HistoryEvents = (await harness.client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    for (const event of events) {
      const identity = event.activityTaskStartedEventAttributes?.identity;
      if (identity) identities.add(identity);
    }
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return identities;
}

describe('GardenerWorkflow', () => {
  it('two sweeps in parallel on two worker processes never classify a product twice', { timeout: 240_000 }, async () => {
    const ids = await harness.seed(3_000);
    const workflowIds = [`gardener-a-${uniqueSuffix()}`, `gardener-b-${uniqueSuffix()}`] as const;
    const [a, b] = await Promise.all(workflowIds.map((workflowId) => sweep({ tenantId: harness.tenantId, pollsPerRun: 5 }, workflowId)));
    if (!a || !b) throw new Error('both sweeps must return');
    expect(a.claimed + b.claimed).toBe(3_000);
    expect(a.processed + b.processed).toBe(3_000);
    expect(a.claimed).toBeGreaterThan(0);
    expect(b.claimed).toBeGreaterThan(0);
    expect(await harness.counts()).toEqual({ done: 3_000 });
    expect(harness.classifyCalls.size).toBe(3_000);
    const twice = [...harness.classifyCalls].filter(([, calls]) => calls !== 1);
    expect(twice).toEqual([]);
    expect(ids.every((id) => harness.classifyCalls.get(id) === 1)).toBe(true);
    // Both worker processes did the work.
    const workers = new Set([...(await activityWorkers(workflowIds[0])), ...(await activityWorkers(workflowIds[1]))]);
    expect(workers.size).toBe(2);
  });

  it('takes again the claims a crashed worker left behind once their lease is over', async () => {
    await harness.seed(30);
    // 20 claims of a crashed worker whose lease is over, 5 still held by a live one.
    await harness.catalog.query(
      `update dealer_products set enrichment_status = 'processing', claimed_by = 'crashed', claim_expires_at = now() - interval '1 minute'
       where id in (select id from dealer_products order by id limit 20)`,
    );
    await harness.catalog.query(
      `update dealer_products set enrichment_status = 'processing', claimed_by = 'alive', claim_expires_at = now() + interval '1 hour'
       where id in (select id from dealer_products where enrichment_status = 'pending' order by id limit 5)`,
    );
    const result = await sweep(harness.tenantId);
    expect(result).toMatchObject({ claimed: 25, processed: 25, failed: 0 });
    expect(await harness.counts()).toEqual({ done: 25, processing: 5 });
  });

  it('stops at its budget', async () => {
    await harness.seed(250);
    const result = await sweep({ tenantId: harness.tenantId, budget: 120 });
    expect(result).toMatchObject({ polls: 2, claimed: 120, processed: 120 });
    expect(await harness.counts()).toEqual({ done: 120, pending: 130 });
  });
});

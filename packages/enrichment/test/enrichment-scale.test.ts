// 20,000 pending products of one harvest run, enriched by one EnrichmentWorkflow with the built-in
// classifier: histories stay small (a run's lanes record one marker per call of up to 64 batches), and
// a run continues as new every batchesPerRun batches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueSuffix } from '@contextworker/test-utils';
import type { WorkflowHandle } from '@temporalio/client';
import { createEnrichmentModule, type EnrichmentResult } from '../src/index.js';
import { startEnrichmentHarness, type EnrichmentHarness } from './enrichment-harness.js';

type HistoryEvents = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>;

let harness: EnrichmentHarness;

beforeAll(async () => {
  harness = await startEnrichmentHarness({ modules: [createEnrichmentModule({ env: {} })] });
});

afterAll(async () => {
  await harness?.stop();
});

describe('EnrichmentWorkflow at scale', () => {
  it('enriches 20,000 products in one workflow with bounded histories', { timeout: 600_000 }, async () => {
    const { harvestRunId } = await harness.seed(20_000);
    const workflowId = `enrich-${uniqueSuffix()}`;
    const handle = await harness.client.workflow.start('EnrichmentWorkflow', {
      taskQueue: harness.taskQueue,
      workflowId,
      args: [{ tenantId: harness.tenantId, harvestRunId, maxBatchesInFlight: 8 }],
    });
    const result = (await handle.result()) as EnrichmentResult;
    expect(result).toEqual({ processed: 20_000, failed: 0 });
    expect(await harness.counts()).toEqual({ done: 20_000 });

    // Follow the chain of runs from the first one: each ended by continue-as-new, the last completed.
    const lengths: number[] = [];
    let runId: string | undefined = handle.firstExecutionRunId;
    while (runId) {
      const events: HistoryEvents = (await harness.client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
      lengths.push(events.length);
      runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    console.info(`20,000 products: ${lengths.length} runs, history lengths ${lengths.join(', ')}`);
    expect(lengths).toHaveLength(1); // 400 batches, up to 1,000 per run by default
    expect(lengths[0]).toBeLessThan(200);
  });

  it('continues a harvest run as new every batchesPerRun batches, with the totals carried', { timeout: 120_000 }, async () => {
    const { harvestRunId } = await harness.seed(95);
    const workflowId = `enrich-${uniqueSuffix()}`;
    const handle = await harness.client.workflow.start('EnrichmentWorkflow', {
      taskQueue: harness.taskQueue,
      workflowId,
      args: [{ tenantId: harness.tenantId, harvestRunId, batchSize: 10, batchesPerRun: 3, maxBatchesInFlight: 2 }],
    });
    expect(await handle.result()).toEqual({ processed: 95, failed: 0 });
    expect(await runsOf(workflowId, handle.firstExecutionRunId)).toBe(4); // 10 batches, 3 per run
  });
});

describe('EnrichmentWorkflow and leases', () => {
  it('takes a run\'s products whose lease ran out, and leaves those another claimant still holds', { timeout: 120_000 }, async () => {
    const { harvestRunId, ids } = await harness.seed(30);
    const [expired, held] = ids as [string, string];
    await harness.catalog.query(
      `update dealer_products set enrichment_status = 'processing', claimed_by = 'crashed-worker', claim_expires_at = now() - interval '1 minute' where id = $1::bigint`,
      [expired],
    );
    await harness.catalog.query(
      `update dealer_products set enrichment_status = 'processing', claimed_by = 'busy-worker', claim_expires_at = now() + interval '10 minutes' where id = $1::bigint`,
      [held],
    );
    const result = await harness.client.workflow.execute('EnrichmentWorkflow', {
      taskQueue: harness.taskQueue,
      workflowId: `enrich-${uniqueSuffix()}`,
      args: [{ tenantId: harness.tenantId, harvestRunId, batchSize: 8 }],
    });
    expect(result).toEqual({ processed: 29, failed: 0 });
    const states = (await harness.products()).filter((product) => ids.includes(product.id));
    expect(states.find((product) => product.id === expired)).toMatchObject({ enrichment_status: 'done', claimed_by: null });
    expect(states.find((product) => product.id === held)).toMatchObject({ enrichment_status: 'processing', claimed_by: 'busy-worker' });
  });
});

/** How many runs a workflow took: the first run, then one per continue-as-new. */
async function runsOf(workflowId: string, firstRunId: string): Promise<number> {
  let runs = 0;
  let runId: string | undefined = firstRunId;
  while (runId) {
    runs++;
    const events: HistoryEvents = (await harness.client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

describe('EnrichmentWorkflow with product ids', () => {
  it('skips repeated, unknown and already enriched ids', { timeout: 120_000 }, async () => {
    const { ids } = await harness.seed(120);
    // The plain id form has no tenant: the worker's tenant is used.
    const run = (args: string[]) =>
      harness.client.workflow.execute('EnrichmentWorkflow', { taskQueue: harness.taskQueue, workflowId: `enrich-${uniqueSuffix()}`, args: [args] });
    expect(await run([...ids, ids[0] as string, '999999999'])).toEqual({ processed: 120, failed: 0 });
    // Enriched products are not classified again: their content and the taxonomy did not change.
    expect(await run(ids)).toEqual({ processed: 0, failed: 0 });
  });

  it('continues as new every batchesPerRun batches, carrying the ids left', { timeout: 120_000 }, async () => {
    const { ids } = await harness.seed(95);
    const workflowId = `enrich-${uniqueSuffix()}`;
    const handle = await harness.client.workflow.start('EnrichmentWorkflow', {
      taskQueue: harness.taskQueue,
      workflowId,
      args: [{ productIds: ids, batchSize: 10, batchesPerRun: 3, maxBatchesInFlight: 2 }],
    });
    expect(await handle.result()).toEqual({ processed: 95, failed: 0 });
    expect(await runsOf(workflowId, handle.firstExecutionRunId)).toBe(4); // 10 batches, 3 per run
  });
});

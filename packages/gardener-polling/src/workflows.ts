/**
 * Gardener polling's sandbox-safe workflows entry: what workers bundle. No Node built-ins; the
 * activities (the enrichment module's, run by name) are described by types only.
 *
 * @module
 */
import { ApplicationFailure, continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { classifyWithBisection } from '@contextworker/enrichment/bisection';
import { INVALID_GARDENER_INPUT, type GardenerActivities, type GardenerInput, type GardenerResult } from './workflow/gardener-types.js';

export type * from './workflow/gardener-types.js';

const positive = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;

function normalize(input: GardenerInput) {
  const request = typeof input === 'string' ? { tenantId: input } : input;
  if (!request || typeof request.tenantId !== 'string' || request.tenantId.trim() === '') {
    throw ApplicationFailure.nonRetryable('GardenerWorkflow needs a tenant: "acme" or { tenantId, budget? }', INVALID_GARDENER_INPUT);
  }
  return {
    ...request,
    pollSize: Math.min(positive(request.pollSize, 100), 1_000),
    batchSize: Math.min(positive(request.batchSize, 50), 500),
    budget: positive(request.budget, 10_000),
    leaseSeconds: positive(request.leaseSeconds, 900),
    pollsPerRun: positive(request.pollsPerRun, 50),
    classifyAttempts: positive(request.classifyAttempts, 5),
  };
}

/**
 * One sweep of a tenant's products still waiting for enrichment: claim up to `pollSize` of them
 * (FOR UPDATE SKIP LOCKED with a lease, so parallel gardeners never take the same product and a
 * crashed one's claims come back when their lease ends), classify them in batches through the
 * enrichment module's activities, and repeat until none are left or the budget is spent.
 */
export async function GardenerWorkflow(input: GardenerInput): Promise<GardenerResult> {
  const request = normalize(input);
  const { tenantId } = request;
  const claimant = `gardener:${workflowInfo().workflowId}`;
  const db = proxyActivities<GardenerActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
  });
  const classify = proxyActivities<GardenerActivities>({
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: request.classifyAttempts },
  });
  const activities = { classifyProducts: classify.classifyProducts, failProductsEnrichment: db.failProductsEnrichment };

  const totals: GardenerResult = request.carried ?? { polls: 0, claimed: 0, processed: 0, failed: 0, requeued: 0 };
  // A new sweep first re-queues what was enriched under another taxonomy version.
  if (!request.carried) totals.requeued = (await db.requeueChangedTaxonomy({ tenantId })).requeued;

  for (let polls = 0; polls < request.pollsPerRun; polls++) {
    const room = request.budget - totals.claimed;
    if (room <= 0) return totals;
    const { ids } = await db.claimProductsForEnrichment({ tenantId, claimant, limit: Math.min(request.pollSize, room), leaseSeconds: request.leaseSeconds });
    if (ids.length === 0) return totals;
    totals.polls++;
    totals.claimed += ids.length;
    const batches: string[][] = [];
    for (let start = 0; start < ids.length; start += request.batchSize) batches.push(ids.slice(start, start + request.batchSize));
    const results = await Promise.all(batches.map((batch) => classifyWithBisection(activities, { tenantId, claimant, ids: batch })));
    for (const result of results) {
      totals.processed += result.processed;
      totals.failed += result.failed;
    }
    if (workflowInfo().continueAsNewSuggested) break;
  }
  const { carried: _previous, ...rest } = request;
  return continueAsNew<typeof GardenerWorkflow>({ ...rest, carried: totals });
}

/**
 * Enrichment's sandbox-safe workflows entry: what workers bundle. No Node built-ins; activities are
 * imported as types only.
 *
 * @module
 */
import { ApplicationFailure, continueAsNew, patched, proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import { runClaimingAhead } from './workflow/claiming-ahead.js';
import { classifyWithBisection, runSlots } from './workflow/classify-with-bisection.js';
import { INVALID_ENRICHMENT_INPUT, type EnrichmentActivities, type EnrichmentInput, type EnrichmentRequest, type EnrichmentResult } from './workflow/enrichment-types.js';

export type * from './workflow/enrichment-types.js';

const LOCAL_ACTIVITIES_PATCH = 'enrichment-local-activities';
const CLAIM_AHEAD_PATCH = 'enrichment-claim-ahead';
const RUN_BATCHES_PATCH = 'enrichment-run-batches';
/**
 * Batches one `enrichRunBatches` call may claim (it also stops claiming after 30 s). Not a round
 * number: when a run's batches divide evenly between the lanes (200 = 4 x 50), a lane's call goes on
 * to the claim that finds nothing, made ahead inside the call, instead of needing one more call.
 */
const RUN_BATCHES_PER_CALL = 64;
/**
 * Default batches per run with `enrichRunBatches`: a call of up to 64 batches is one marker in the
 * history, so 1,000 batches make a history smaller than 100 did with a claim and a classify step each.
 */
const RUN_BATCHES_PER_RUN = 1_000;

const positive = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;

function normalize(input: EnrichmentInput): Required<Pick<EnrichmentRequest, 'batchSize' | 'maxBatchesInFlight' | 'batchesPerRun' | 'leaseSeconds' | 'classifyAttempts' | 'classifyTimeout'>> & EnrichmentRequest {
  const request: EnrichmentRequest = Array.isArray(input) ? { productIds: input } : (input ?? {});
  const ids = request.productIds;
  if (ids !== undefined && (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))) {
    throw ApplicationFailure.nonRetryable('EnrichmentWorkflow: productIds must be an array of id strings', INVALID_ENRICHMENT_INPUT);
  }
  if (ids === undefined && typeof request.harvestRunId !== 'string') {
    throw ApplicationFailure.nonRetryable('EnrichmentWorkflow needs product ids or { tenantId, harvestRunId }', INVALID_ENRICHMENT_INPUT);
  }
  return {
    ...request,
    batchSize: Math.min(positive(request.batchSize, 50), 500),
    maxBatchesInFlight: Math.min(positive(request.maxBatchesInFlight, 4), 32),
    batchesPerRun: positive(request.batchesPerRun, 100),
    leaseSeconds: positive(request.leaseSeconds, 900),
    classifyAttempts: positive(request.classifyAttempts, 5),
    classifyTimeout: typeof request.classifyTimeout === 'string' ? request.classifyTimeout : '2 minutes',
  };
}

/**
 * Classifies products against the taxonomy in batches (default 50, 4 in flight) and records each
 * result: `done` with its category, or `failed` with its reason. A batch whose classify call fails is
 * bisected so that one bad product fails alone. The run continues as new every `batchesPerRun`
 * batches (or when Temporal suggests it), carrying only its totals and, for the id form, the ids left.
 */
export async function EnrichmentWorkflow(input: EnrichmentInput): Promise<EnrichmentResult> {
  const request = normalize(input);
  const claimant = `enrichment:${workflowInfo().workflowId}`;
  // Local activities: a batch is a short claim and one classify call, so a round trip through the
  // server per step would cost more than the step itself. Runs started before this change replay
  // with the activities they recorded.
  const proxy = patched(LOCAL_ACTIVITIES_PATCH) ? proxyLocalActivities : proxyActivities;
  // Each lane claims its next batch while the current one is classified. Runs started before this
  // change replay with one claim after the other.
  const claimAhead = patched(CLAIM_AHEAD_PATCH);
  // A harvest run's lanes each run several batches per local activity, claiming, classifying and
  // recording as a pipeline inside it: no workflow activation between the steps of a batch. Runs
  // started before this change replay with a claim and a classify step per batch.
  const runBatches = request.productIds === undefined && patched(RUN_BATCHES_PATCH);
  const batchesPerRun = runBatches && (Array.isArray(input) || input?.batchesPerRun === undefined) ? RUN_BATCHES_PER_RUN : request.batchesPerRun;
  const db = proxy<EnrichmentActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
  });
  const classify = proxy<EnrichmentActivities>({
    startToCloseTimeout: request.classifyTimeout,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: request.classifyAttempts },
  });
  const lanes = proxyLocalActivities<EnrichmentActivities>({
    // The lease must outlast the call: its batches are claimed for leaseSeconds.
    startToCloseTimeout: Math.min(600, request.leaseSeconds) * 1000,
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
  });
  const activities = { classifyProducts: classify.classifyProducts, failProductsEnrichment: db.failProductsEnrichment };

  const totals = { processed: request.carried?.processed ?? 0, failed: request.carried?.failed ?? 0 };
  let tenantId = request.tenantId;
  let batches = 0;
  let exhausted = false;
  const pending = request.productIds ? [...request.productIds] : undefined;

  const claimNext = async (): Promise<string[] | undefined> => {
    const base = { claimant, limit: request.batchSize, leaseSeconds: request.leaseSeconds, ...(tenantId ? { tenantId } : {}) };
    if (pending) {
      const chunk = pending.splice(0, request.batchSize);
      if (chunk.length === 0) return undefined;
      const claimed = await db.claimProductsForEnrichment({ ...base, productIds: chunk });
      tenantId = claimed.tenantId;
      return claimed.ids;
    }
    const claimed = await db.claimProductsForEnrichment({ ...base, harvestRunId: request.harvestRunId as string });
    tenantId = claimed.tenantId;
    return claimed.ids.length > 0 ? claimed.ids : undefined;
  };

  const classifyBatch = async (ids: string[]): Promise<void> => {
    const result = await classifyWithBisection(activities, { tenantId: tenantId as string, claimant, ids });
    totals.processed += result.processed;
    totals.failed += result.failed;
  };

  const mayClaim = (): boolean => {
    if (exhausted || batches >= batchesPerRun || workflowInfo().continueAsNewSuggested) return false;
    batches++;
    return true;
  };

  if (runBatches) {
    const lane = async (): Promise<void> => {
      for (;;) {
        // Share what is left of the run's batches between the lanes, so that they end together.
        const left = batchesPerRun - batches;
        const budget = Math.min(RUN_BATCHES_PER_CALL, Math.ceil(left / request.maxBatchesInFlight));
        if (exhausted || budget <= 0 || workflowInfo().continueAsNewSuggested) return;
        batches += budget;
        const done = await lanes.enrichRunBatches({
          ...(tenantId ? { tenantId } : {}),
          claimant,
          harvestRunId: request.harvestRunId as string,
          batchSize: request.batchSize,
          leaseSeconds: request.leaseSeconds,
          maxBatches: budget,
        });
        batches -= budget - done.batches;
        tenantId = done.tenantId;
        totals.processed += done.processed;
        totals.failed += done.failed;
        if (done.exhausted) exhausted = true;
        for (const ids of done.handedBack) await classifyBatch(ids);
      }
    };
    await Promise.all(Array.from({ length: request.maxBatchesInFlight }, lane));
  } else if (claimAhead) {
    const claim = async (): Promise<string[] | undefined> => {
      const ids = await claimNext();
      if (!ids) exhausted = true;
      return ids;
    };
    await runClaimingAhead(request.maxBatchesInFlight, mayClaim, claim, classifyBatch);
  } else {
    await runSlots(request.maxBatchesInFlight, async () => {
      if (!mayClaim()) return false;
      const ids = await claimNext();
      if (!ids) {
        exhausted = true;
        return false;
      }
      await classifyBatch(ids);
      return true;
    });
  }

  const more = pending ? pending.length > 0 : !exhausted;
  if (more) {
    const { carried, productIds: _done, ...rest } = request;
    await continueAsNew<typeof EnrichmentWorkflow>({
      ...rest,
      batchesPerRun,
      ...(tenantId ? { tenantId } : {}),
      ...(pending ? { productIds: pending } : {}),
      carried: { ...totals, runs: (carried?.runs ?? 1) + 1 },
    });
  }
  return totals;
}

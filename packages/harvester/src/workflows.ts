/**
 * The harvester's sandbox-safe workflows entry: what workers bundle. No Node
 * built-ins; activities are imported as types only.
 *
 * @module
 */
import {
  ActivityFailure,
  ApplicationFailure,
  ParentClosePolicy,
  TimeoutFailure,
  defineQuery,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/workflow';

type Duration = NonNullable<ActivityOptions['scheduleToStartTimeout']>;
import type { HostHarvestActivities, SharedHarvestActivities } from './workflow/harvest-activities.js';
import type { HarvestInput, HarvestProgress, HarvestResult, HarvestRunRef } from './workflow/harvest-types.js';

export type * from './workflow/harvest-types.js';

/** Query name for the progress of a running harvest. */
export const harvestProgressQuery = defineQuery<HarvestProgress>('harvestProgress');

// How often the staged-file steps may start over on another worker when the
// one holding the file disappears.
const MAX_HOST_ATTEMPTS = 3;

// The run's bookkeeping (start, host lookup, marking missing, finish) is short database work: as local
// activities it runs inside the workflow task instead of costing a task round trip each, which is most
// of the orchestration time of a small harvest. Only the steps on staged files are task-queue activities.
const shared = proxyLocalActivities<SharedHarvestActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
});

function hostActivities(taskQueue: string, timeouts: { scheduleToStart?: string; heartbeat?: string } = {}): HostHarvestActivities {
  // scheduleToStart bounds how long a task waits for the host: if it is gone, we start over elsewhere.
  const scheduleToStartTimeout = (timeouts.scheduleToStart ?? '1 minute') as Duration;
  const heartbeatTimeout = (timeouts.heartbeat ?? '1 minute') as Duration;
  const base = { taskQueue, scheduleToStartTimeout, retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 8 } };
  const download = proxyActivities<HostHarvestActivities>({ ...base, startToCloseTimeout: '2 hours', heartbeatTimeout });
  const store = proxyActivities<HostHarvestActivities>({ ...base, startToCloseTimeout: '8 hours', heartbeatTimeout });
  const cleanup = proxyActivities<HostHarvestActivities>({ ...base, startToCloseTimeout: '1 minute', retry: { maximumAttempts: 2 } });
  return {
    downloadFeed: download.downloadFeed,
    parseAndStoreProducts: store.parseAndStoreProducts,
    discardStagedFiles: cleanup.discardStagedFiles,
  };
}

function normalizeInput(input: HarvestInput) {
  const value = typeof input === 'string' ? { supplierId: input } : input;
  if (!value || typeof value.supplierId !== 'string' || value.supplierId.trim() === '') {
    throw ApplicationFailure.nonRetryable('HarvestWorkflow needs a supplier id: "camping-trade" or { supplierId, tenantId? }', 'InvalidHarvestInput');
  }
  return { ...value, force: value.force === true, dryRun: value.dryRun === true, enrich: value.enrich !== false };
}

// An ActivityFailure only says "Activity task failed": the run record needs the reason at the root of the chain.
function failureMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(error);
}

function hostIsGone(error: unknown): boolean {
  return error instanceof ActivityFailure && error.cause instanceof TimeoutFailure && error.cause.timeoutType === 'SCHEDULE_TO_START';
}

/**
 * Harvests one supplier's feed: download to a staging file, parse it with the
 * supplier's format and transformer and store it in batches (one pass), mark vanished products
 * missing (guarded against a sudden shrink), then start enrichment for what
 * was created.
 */
export async function HarvestWorkflow(input: HarvestInput): Promise<HarvestResult> {
  const options = normalizeInput(input);
  const progress: HarvestProgress = { phase: 'starting', hostAttempt: 0 };
  setHandler(harvestProgressQuery, () => progress);

  const ref: HarvestRunRef = await shared.startHarvestRun({
    ...(options.tenantId ? { tenantId: options.tenantId } : {}),
    supplierId: options.supplierId,
    dryRun: options.dryRun,
    workflowId: workflowInfo().workflowId,
  });
  progress.harvestRunId = ref.harvestRunId;

  try {
    for (;;) {
      progress.hostAttempt++;
      const host = hostActivities(await shared.resolveHostTaskQueue(), options.hostTimeouts);
      try {
        return await harvestOnHost(ref, host, options, progress);
      } catch (error) {
        if (!hostIsGone(error) || progress.hostAttempt >= MAX_HOST_ATTEMPTS) throw error;
        // The worker holding the staged files is gone: start over on another one.
      }
    }
  } catch (error) {
    await shared.finishHarvestRun({ ...ref, status: 'failed', error: failureMessage(error) });
    throw error;
  }
}

async function harvestOnHost(
  ref: HarvestRunRef,
  host: HostHarvestActivities,
  options: ReturnType<typeof normalizeInput>,
  progress: HarvestProgress,
): Promise<HarvestResult> {
  progress.phase = 'downloading';
  const download = await host.downloadFeed({ ...ref, force: options.force });
  const base = { ...ref, created: 0, updated: 0, unchanged: 0, errors: 0, invalid: 0, duplicates: 0, markedMissing: 0 };
  if (download.status === 'unchanged') {
    progress.phase = 'done';
    await shared.finishHarvestRun({ ...ref, status: 'unchanged' });
    return { ...base, status: 'unchanged' };
  }
  // Started as soon as the feed is stored, so the host drops its files while the bookkeeping runs.
  let discarded: Promise<void> | undefined;
  const discard = () => (discarded ??= host.discardStagedFiles(ref).catch(() => undefined));
  try {
    progress.phase = 'storing';
    const charset = /charset=([^;\s]+)/i.exec(download.contentType ?? '')?.[1];
    const stored = await host.parseAndStoreProducts({
      ...ref,
      stagedPath: download.stagedPath,
      ...(charset ? { encodingHint: charset } : {}),
      dryRun: options.dryRun,
      feedSha256: download.sha256,
    });
    void discard();
    const counts = { created: stored.created, updated: stored.updated, unchanged: stored.unchanged, errors: stored.errors, invalid: stored.invalid, duplicates: stored.duplicates };

    if (options.dryRun) {
      progress.phase = 'done';
      await shared.finishHarvestRun({ ...ref, status: 'dry_run', counts: { ...counts, markedMissing: 0 } });
      return { ...base, ...counts, duplicates: stored.duplicates, status: 'dry-run', wouldBeMissing: stored.wouldBeMissing ?? 0 };
    }

    progress.phase = 'marking-missing';
    const missing = await shared.markMissingProducts({ ...ref, force: options.force });
    progress.phase = 'finishing';
    const feed = { sha256: download.sha256, ...(download.etag ? { etag: download.etag } : {}), ...(download.lastModified ? { lastModified: download.lastModified } : {}) };
    await shared.finishHarvestRun({ ...ref, status: 'completed', counts: { ...counts, markedMissing: missing.marked }, feed });

    let enrichmentWorkflowId: string | undefined;
    if (options.enrich && stored.created > 0) {
      enrichmentWorkflowId = `enrichment-${ref.harvestRunId}`;
      await startChild('EnrichmentWorkflow', {
        workflowId: enrichmentWorkflowId,
        args: [{ tenantId: ref.tenantId, harvestRunId: ref.harvestRunId }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    }
    progress.phase = 'done';
    return {
      ...base,
      ...counts,
      duplicates: stored.duplicates,
      status: 'completed',
      markedMissing: missing.marked,
      ...(missing.refused ? { removalRefused: missing.refused } : {}),
      ...(enrichmentWorkflowId ? { enrichmentWorkflowId } : {}),
    };
  } finally {
    await discard();
  }
}

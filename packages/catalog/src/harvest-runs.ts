import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { HarvestRunNotFoundError, SupplierNotFoundError } from './errors.js';
import type { Catalog } from './open-catalog.js';
import { pgErrorCode } from './pg-error.js';
import { harvestRunSeen, harvestRuns, type HarvestRowError, type HarvestRunRow, type HarvestRunStatus, type StoreProgress } from './schema.js';
import { requireTenant } from './supplier-input.js';

/** A row of `harvest_runs`. */
export type HarvestRun = HarvestRunRow;

/** How many row-level errors a run keeps; `error_count` still counts all of them. */
export const MAX_RUN_ERRORS = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Run ids are UUIDs; anything else cannot name a run (and must not reach a uuid cast). */
export const isRunId = (value: string): boolean => UUID.test(value);

export interface StartHarvestRunOptions {
  supplierId: string;
  /** A dry run writes no products; its run row is the only trace it leaves. */
  dryRun?: boolean;
  /** The Temporal workflow id of the harvest, for finding its history. */
  workflowId?: string | null;
}

/**
 * Records the start of a harvest (status `running`) and returns it; its id tags the products seen.
 *
 * @throws {SupplierNotFoundError} when the tenant has no such supplier.
 */
export async function startHarvestRun(catalog: Catalog, tenantId: string, options: StartHarvestRunOptions): Promise<HarvestRun> {
  requireTenant(tenantId);
  try {
    const [run] = await catalog.db
      .insert(harvestRuns)
      .values({ tenantId, supplierId: options.supplierId, dryRun: options.dryRun ?? false, workflowId: options.workflowId ?? null })
      .returning();
    return run!;
  } catch (error) {
    if (pgErrorCode(error) === '23503') throw new SupplierNotFoundError(tenantId, options.supplierId);
    throw error;
  }
}

/** Counts of a finished run, one integer column each. */
export interface HarvestCounts {
  created: number;
  updated: number;
  unchanged: number;
  /** Records the parser or validation refused. */
  invalid: number;
  /** Records whose external id repeated one seen earlier in the feed (the last one wins). */
  duplicates: number;
  /** Row-level errors of any kind (the first MAX_RUN_ERRORS are kept in `errors`). */
  errors: number;
  markedMissing: number;
}

export interface FinishHarvestRunInput {
  status: Exclude<HarvestRunStatus, 'running'>;
  feedHash?: string | null;
  feedBytes?: number | null;
  counts?: Partial<HarvestCounts>;
  /** Milliseconds per step, e.g. { download: 812, parse: 4020, store: 9110 }. */
  durations?: Record<string, number>;
  /** Row-level errors in feed order; only the first MAX_RUN_ERRORS are kept. */
  errors?: HarvestRowError[];
}

type RunUpdate = { [K in keyof typeof harvestRuns.$inferInsert]?: (typeof harvestRuns.$inferInsert)[K] | SQL };

async function updateRun(catalog: Catalog, tenantId: string, runId: string, set: RunUpdate): Promise<HarvestRun> {
  requireTenant(tenantId);
  if (!UUID.test(runId)) throw new HarvestRunNotFoundError(tenantId, runId);
  const [run] = await catalog.db
    .update(harvestRuns)
    .set(set)
    .where(and(eq(harvestRuns.tenantId, tenantId), eq(harvestRuns.id, runId)))
    .returning();
  if (!run) throw new HarvestRunNotFoundError(tenantId, runId);
  return run;
}

/**
 * Records how a run ended: status, feed hash and size, counts, durations and the first row-level errors,
 * and drops the run's record of the external ids it saw.
 * Repeating it (a retried activity) overwrites with the same values.
 *
 * @throws {HarvestRunNotFoundError} when the tenant has no such run.
 */
export async function finishHarvestRun(catalog: Catalog, tenantId: string, runId: string, result: FinishHarvestRunInput): Promise<HarvestRun> {
  const counts = result.counts ?? {};
  const run = await updateRun(catalog, tenantId, runId, {
    status: result.status,
    finishedAt: sql`now()`,
    ...(result.feedHash !== undefined ? { feedHash: result.feedHash } : {}),
    ...(result.feedBytes !== undefined ? { feedBytes: result.feedBytes } : {}),
    ...(counts.created !== undefined ? { createdCount: counts.created } : {}),
    ...(counts.updated !== undefined ? { updatedCount: counts.updated } : {}),
    ...(counts.unchanged !== undefined ? { unchangedCount: counts.unchanged } : {}),
    ...(counts.invalid !== undefined ? { invalidCount: counts.invalid } : {}),
    ...(counts.duplicates !== undefined ? { duplicateCount: counts.duplicates } : {}),
    ...(counts.errors !== undefined ? { errorCount: counts.errors } : {}),
    ...(counts.markedMissing !== undefined ? { markedMissingCount: counts.markedMissing } : {}),
    ...(result.durations !== undefined ? { durations: result.durations } : {}),
    ...(result.errors !== undefined ? { errors: result.errors.slice(0, MAX_RUN_ERRORS) } : {}),
  });
  // What the run saw was only needed to mark missing products; a finished run never stores again.
  await catalog.db.delete(harvestRunSeen).where(and(eq(harvestRunSeen.tenantId, tenantId), eq(harvestRunSeen.harvestRunId, runId)));
  return run;
}

export interface RunErrorsInput {
  /** Row-level errors in feed order; only the first MAX_RUN_ERRORS are kept. */
  errors: readonly HarvestRowError[];
  /** Records refused by parsing or validation. */
  invalid?: number;
  /** All row-level errors. Default: `invalid`, else the number of `errors`. */
  errorCount?: number;
}

/**
 * Records the row-level errors of a run as soon as they are known (after parsing), so a run
 * that fails later still shows them. `finishHarvestRun` may overwrite them.
 *
 * @throws {HarvestRunNotFoundError} when the tenant has no such run.
 */
export async function recordRunErrors(catalog: Catalog, tenantId: string, runId: string, input: RunErrorsInput): Promise<void> {
  await updateRun(catalog, tenantId, runId, {
    errors: input.errors.slice(0, MAX_RUN_ERRORS),
    ...(input.invalid !== undefined ? { invalidCount: input.invalid } : {}),
    errorCount: input.errorCount ?? input.invalid ?? input.errors.length,
  });
}

/**
 * Saves the checkpoint a retried store step resumes from. `upsertProductBatch` can save it in the
 * same statement as the batch (its `progress` option), which keeps the two consistent.
 *
 * @throws {HarvestRunNotFoundError} when the tenant has no such run.
 */
export async function saveStoreProgress(catalog: Catalog, tenantId: string, runId: string, progress: StoreProgress): Promise<void> {
  await updateRun(catalog, tenantId, runId, { storeProgress: progress });
}

/**
 * The run with this id.
 *
 * @throws {HarvestRunNotFoundError} when the tenant has no such run.
 */
export async function getHarvestRun(catalog: Catalog, tenantId: string, runId: string): Promise<HarvestRun> {
  requireTenant(tenantId);
  if (!UUID.test(runId)) throw new HarvestRunNotFoundError(tenantId, runId);
  const [run] = await catalog.db
    .select()
    .from(harvestRuns)
    .where(and(eq(harvestRuns.tenantId, tenantId), eq(harvestRuns.id, runId)));
  if (!run) throw new HarvestRunNotFoundError(tenantId, runId);
  return run;
}

/** The supplier's latest run that completed or found the feed unchanged (dry runs excluded), if any. */
export async function lastSuccessfulRun(catalog: Catalog, tenantId: string, supplierId: string): Promise<HarvestRun | undefined> {
  requireTenant(tenantId);
  const [run] = await catalog.db
    .select()
    .from(harvestRuns)
    .where(
      and(
        eq(harvestRuns.tenantId, tenantId),
        eq(harvestRuns.supplierId, supplierId),
        inArray(harvestRuns.status, ['completed', 'unchanged']),
        eq(harvestRuns.dryRun, false),
      ),
    )
    .orderBy(desc(harvestRuns.startedAt))
    .limit(1);
  return run;
}

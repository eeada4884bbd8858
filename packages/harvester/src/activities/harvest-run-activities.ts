import {
  SupplierNotFoundError,
  finishHarvestRun,
  markMissingProducts,
  recordFeedState,
  startHarvestRun,
  type Catalog,
} from '@contextworker/catalog';
import type { SharedHarvestActivities } from '../workflow/harvest-activities.js';
import { permanentFailure } from './failures.js';

export interface HarvestRunDeps {
  open: () => Promise<Catalog>;
  defaultTenantId: string;
  /** Share of active products a run may mark missing before removal is refused (default 0.5). */
  maxShrinkRatio?: number;
}

type Shared = Omit<SharedHarvestActivities, 'resolveHostTaskQueue'>;

/** The harvest steps that touch only the database: they run on any worker of the shared queue. */
export function createHarvestRunActivities(deps: HarvestRunDeps): Shared {
  return {
    async startHarvestRun(input) {
      const tenantId = input.tenantId ?? deps.defaultTenantId;
      try {
        const run = await startHarvestRun(await deps.open(), tenantId, {
          supplierId: input.supplierId,
          dryRun: input.dryRun,
          workflowId: input.workflowId,
        });
        return { tenantId, supplierId: input.supplierId, harvestRunId: run.id };
      } catch (error) {
        if (error instanceof SupplierNotFoundError) throw permanentFailure('SupplierNotFound', error);
        throw error;
      }
    },

    async markMissingProducts(input) {
      const result = await markMissingProducts(await deps.open(), {
        tenantId: input.tenantId,
        supplierId: input.supplierId,
        harvestRunId: input.harvestRunId,
        force: input.force,
        ...(deps.maxShrinkRatio !== undefined ? { maxShrinkRatio: deps.maxShrinkRatio } : {}),
      });
      return { marked: result.marked, ...(result.refused ? { refused: result.refused } : {}) };
    },

    async finishHarvestRun(input) {
      const catalog = await deps.open();
      const counts = input.counts;
      await finishHarvestRun(catalog, input.tenantId, input.harvestRunId, {
        status: input.status,
        ...(input.feed ? { feedHash: input.feed.sha256 } : {}),
        ...(counts
          ? {
              counts: {
                created: counts.created,
                updated: counts.updated,
                unchanged: counts.unchanged,
                invalid: counts.invalid,
                duplicates: counts.duplicates,
                errors: counts.errors,
                markedMissing: counts.markedMissing,
              },
            }
          : {}),
        ...(input.error ? { errors: [{ reason: input.error }] } : {}),
      });
      // The delta ledger moves only after a complete, successful run.
      if (input.status === 'completed' && input.feed) {
        await recordFeedState(catalog, input.tenantId, input.supplierId, {
          etag: input.feed.etag ?? null,
          lastModified: input.feed.lastModified ?? null,
          contentHash: input.feed.sha256,
        });
      }
    },
  };
}

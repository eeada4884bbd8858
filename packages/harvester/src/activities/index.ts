import type { ModuleContext } from '@contextworker/registry';
import type { TransformerRegistry } from '../transformers/transformer-registry.js';
import { CatalogAccess, catalogResource } from './catalog-access.js';
import { downloadFeedActivity } from './download-feed.js';
import { createHarvestRunActivities } from './harvest-run-activities.js';
import { parseAndStoreActivity, type ParseAndStoreInput } from './parse-and-store.js';
import { discardStagingDir } from './staging.js';
import type { HarvestRunRef } from '../workflow/harvest-types.js';

export interface HarvestActivityOptions {
  transformers: TransformerRegistry;
  /** Products per upsert statement (default 5,000). */
  batchSize?: number;
  /** Batches written at once on PostgreSQL, each in a transaction on its own connection (default 2). */
  storeLanes?: number;
  /** Share of active products a run may mark missing before removal is refused (default 0.5). */
  maxShrinkRatio?: number;
}

/** Activities on the shared queue: database steps any worker can run. */
export function createSharedHarvestActivities(context: ModuleContext, options: HarvestActivityOptions) {
  return createHarvestRunActivities({
    open: () => catalogResource(context),
    defaultTenantId: context.config.tenantId,
    ...(options.maxShrinkRatio !== undefined ? { maxShrinkRatio: options.maxShrinkRatio } : {}),
  });
}

/** Activities on this worker's own queue: they read and write its staged files. */
export function createHostHarvestActivities(context: ModuleContext, options: HarvestActivityOptions) {
  const open = () => catalogResource(context);
  const catalog = new CatalogAccess(open);
  return {
    downloadFeed: (input: HarvestRunRef & { force: boolean }) => downloadFeedActivity({ catalog, harvest: context.config.harvest }, input),
    parseAndStoreProducts: (input: ParseAndStoreInput) =>
      parseAndStoreActivity(
        {
          catalog,
          open,
          transformers: options.transformers,
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
          ...(options.storeLanes ? { lanes: options.storeLanes } : {}),
        },
        input,
      ),
    discardStagedFiles: (input: HarvestRunRef) => discardStagingDir(input.harvestRunId),
  };
}

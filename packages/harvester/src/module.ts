import { defineModule, siblingModulePath, type DefaultSchedule, type WorkerModule } from '@contextworker/registry';
import { listSuppliers } from '@contextworker/catalog';
import { createHostHarvestActivities, createSharedHarvestActivities, type HarvestActivityOptions } from './activities/index.js';
import { catalogResource } from './activities/catalog-access.js';
import { transformers as processTransformers } from './transformers/transformer-registry.js';

/** Every 6 hours unless the supplier sets its own cron. */
export const DEFAULT_HARVEST_CRON = '0 */6 * * *';

export type HarvesterModuleOptions = Partial<HarvestActivityOptions>;

/**
 * The harvester as a worker module: HarvestWorkflow, its database activities
 * on the shared queue, its staged-file activities on each worker's own queue,
 * and one `harvest-<tenant>.<supplier>` schedule per supplier of the tenant (the same id as the
 * schedules package's `harvestScheduleId`, so the two never make two schedules for one supplier).
 */
export function createHarvesterModule(options: HarvesterModuleOptions = {}): WorkerModule {
  const activityOptions: HarvestActivityOptions = { ...options, transformers: options.transformers ?? processTransformers };
  return defineModule({
    name: 'harvester',
    description: 'Supplier feed harvesting: download, parse with a supplier transformer, store',
    workflowsPath: siblingModulePath(import.meta.url, 'workflows'),
    activities: (context) => createSharedHarvestActivities(context, activityOptions),
    hostActivities: (context) => createHostHarvestActivities(context, activityOptions),
    schedules: async (context): Promise<DefaultSchedule[]> => {
      const suppliers = await listSuppliers(await catalogResource(context), context.tenantId);
      return suppliers.map((supplier) => ({
        // The tenant is in the id: two tenants may have a supplier of the same id.
        scheduleId: `harvest-${context.tenantId}.${supplier.id}`,
        workflowType: 'HarvestWorkflow',
        args: [{ tenantId: context.tenantId, supplierId: supplier.id }],
        spec: { cron: supplier.harvestCron ?? DEFAULT_HARVEST_CRON },
        note: `Harvest of supplier ${supplier.id} (${supplier.name})`,
      }));
    },
  });
}

export const harvesterModule = createHarvesterModule();

export default harvesterModule;

import type { DefaultSchedule, ScheduleContext, WorkerModule } from '@contextworker/registry';
import { InvalidScheduleError } from './errors.js';

/** How often a supplier's feed is harvested when the supplier sets no cron of its own. */
export const DEFAULT_HARVEST_CRON = '0 */6 * * *';
/** How often the gardener sweeps for products whose enrichment is pending. */
export const DEFAULT_GARDENER_INTERVAL = '15m';

export const HARVEST_WORKFLOW = 'HarvestWorkflow';
export const GARDENER_WORKFLOW = 'GardenerWorkflow';

/**
 * Id of the harvest schedule of a tenant's supplier: `harvest-<tenant>.<supplier>`. The tenant is part of
 * it because two tenants may have suppliers of the same id; the dot cannot occur in either slug, so no
 * two (tenant, supplier) pairs share an id.
 */
export function harvestScheduleId(tenantId: string, supplierId: string): string {
  return `harvest-${tenantId}.${supplierId}`;
}

/** A supplier as far as scheduling cares: its id and, optionally, its own cron. */
export interface SupplierSchedule {
  id: string;
  cron?: string;
}

export interface DefaultSchedulesOptions {
  tenantId: string;
  suppliers: readonly SupplierSchedule[];
  taskQueue: string;
}

/**
 * The schedules every tenant gets: `harvest-<tenant>.<supplier>` every 6 hours (or the supplier's own cron)
 * running `HarvestWorkflow({ tenantId, supplierId })`, and `gardener-<tenant>` every 15 minutes
 * running `GardenerWorkflow({ tenantId })`.
 */
export function defaultSchedules(options: DefaultSchedulesOptions): DefaultSchedule[] {
  const { tenantId, taskQueue } = options;
  const harvests = options.suppliers.map(
    (supplier): DefaultSchedule => ({
      scheduleId: harvestScheduleId(tenantId, supplier.id),
      workflowType: HARVEST_WORKFLOW,
      args: [{ tenantId, supplierId: supplier.id }],
      spec: { cron: supplier.cron?.trim() || DEFAULT_HARVEST_CRON },
      taskQueue,
      note: `Harvests the feed of supplier ${supplier.id} for tenant ${tenantId}`,
    }),
  );
  const gardener: DefaultSchedule = {
    scheduleId: `gardener-${tenantId}`,
    workflowType: GARDENER_WORKFLOW,
    args: [{ tenantId }],
    spec: { interval: DEFAULT_GARDENER_INTERVAL },
    taskQueue,
    note: `Hands products with pending enrichment of tenant ${tenantId} to enrichment`,
  };
  return [...harvests, gardener];
}

/**
 * Asks every module for its schedules for the tenant in `context`.
 *
 * @throws {InvalidScheduleError} when two modules declare the same schedule id.
 */
export async function collectModuleSchedules(modules: readonly WorkerModule[], context: ScheduleContext): Promise<DefaultSchedule[]> {
  const declaredBy = new Map<string, string>();
  const collected: DefaultSchedule[] = [];
  for (const module of modules) {
    if (!module.schedules) continue;
    for (const schedule of await module.schedules(context)) {
      const other = declaredBy.get(schedule.scheduleId);
      if (other !== undefined) {
        const where = other === module.name ? `twice by module "${other}"` : `by both module "${other}" and module "${module.name}"`;
        throw new InvalidScheduleError(`is declared ${where}`, { scheduleId: schedule.scheduleId });
      }
      declaredBy.set(schedule.scheduleId, module.name);
      collected.push(schedule);
    }
  }
  return collected;
}

/**
 * Lays `overrides` over `base` by schedule id: a module that declares a schedule itself
 * replaces the built-in default of the same id, and new ids are appended.
 */
export function mergeSchedules(base: readonly DefaultSchedule[], overrides: readonly DefaultSchedule[]): DefaultSchedule[] {
  const merged = new Map(base.map((schedule) => [schedule.scheduleId, schedule] as const));
  for (const schedule of overrides) merged.set(schedule.scheduleId, schedule);
  return [...merged.values()];
}

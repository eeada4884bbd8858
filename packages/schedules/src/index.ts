/**
 * Temporal Schedules for ContextWorker: an idempotent `ScheduleManager` (create updates an existing id in
 * place, keeping its paused state and note), the default schedules of a tenant, and `sync`, which
 * reconciles the desired schedules with what Temporal holds and prunes only schedules carrying our owner tag.
 *
 * @example
 * ```ts
 * import { getTemporalClient, WorkerConfig } from '@contextworker/core-temporal';
 * import { ScheduleManager, defaultSchedules, formatSyncPlan } from '@contextworker/schedules';
 *
 * const config = WorkerConfig.fromEnv();
 * const client = await getTemporalClient(config.temporal);
 * const manager = new ScheduleManager(client);
 * const desired = defaultSchedules({ tenantId: 'acme', suppliers: [{ id: 'acme-feed' }], taskQueue: 'default' });
 *
 * const preview = await manager.sync(desired, { tenantId: 'acme', dryRun: true, prune: true });
 * console.log(formatSyncPlan(preview.plan, { applied: false }));
 * await manager.sync(desired, { tenantId: 'acme', prune: true });
 * await manager.pause('harvest-acme.feed', 'supplier feed is down');
 * await client.connection.close();
 * ```
 *
 * @module
 */
export {
  ScheduleManager,
  type BackfillOptions,
  type ListSchedulesOptions,
  type ScheduleChange,
  type ScheduleManagerOptions,
  type SyncOptions,
  type SyncResult,
} from './schedule-manager.js';
export {
  DEFAULT_OWNER,
  OVERLAP_POLICIES,
  OWNER_MEMO_KEY,
  TENANT_MEMO_KEY,
  normalizeSchedule,
  normalizeSchedules,
  type DesiredSchedule,
  type NormalizeDefaults,
  type NormalizedSchedule,
  type OverlapPolicy,
  type ScheduleDefinition,
} from './definition.js';
export {
  DEFAULT_GARDENER_INTERVAL,
  DEFAULT_HARVEST_CRON,
  GARDENER_WORKFLOW,
  HARVEST_WORKFLOW,
  collectModuleSchedules,
  defaultSchedules,
  harvestScheduleId,
  mergeSchedules,
  type DefaultSchedulesOptions,
  type SupplierSchedule,
} from './default-schedules.js';
export { CRON_SHORTHANDS, isValidCron, parseCron, type CronFields } from './cron.js';
export { formatInterval, formatSpec, parseInterval } from './schedule-spec.js';
export {
  countActions,
  diffSchedule,
  formatSyncPlan,
  planSync,
  type FieldChange,
  type PlanSyncInput,
  type StraySchedule,
  type SyncAction,
  type SyncActionKind,
  type SyncPlan,
} from './sync-plan.js';
export {
  formatScheduleDetails,
  formatScheduleTable,
  type ScheduleDetails,
  type ScheduleInfo,
  type ScheduleRun,
} from './schedule-view.js';
export { InvalidCronError, InvalidIntervalError, InvalidScheduleError, ScheduleNotFoundError } from './errors.js';

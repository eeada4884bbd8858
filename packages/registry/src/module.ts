import type { Client } from '@temporalio/client';
import type { Logger } from '@temporalio/common';
import type { WorkerConfig } from '@contextworker/core-temporal';

// Activities are plain async functions keyed by their Temporal activity name.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ActivityFunction = (...args: any[]) => Promise<unknown>;
export type ActivityMap = Record<string, ActivityFunction>;

/** What a module's factories receive: shared configuration, logging and resources. */
export interface ModuleContext {
  config: WorkerConfig;
  logger: Logger;
  /** A Temporal client on the worker's namespace, created on first use and shared. */
  getClient(): Promise<Client>;
  /**
   * A resource shared by every module under `key` (a database pool, an HTTP
   * agent): created once by the first module that asks, disposed when the worker stops.
   */
  resource<T>(key: string, create: () => T | Promise<T>, dispose?: (value: T) => void | Promise<void>): Promise<T>;
  /**
   * The task queue only this worker process polls. Activities that need local
   * state (a staged file) run there; see {@link WorkerModule.hostActivities}.
   */
  hostTaskQueue: string;
}

/** Name of the activity, on the shared queue, that tells a workflow which worker host took it. */
export const HOST_TASK_QUEUE_ACTIVITY = 'resolveHostTaskQueue';

/** A schedule a module wants for a tenant; the schedules package creates and reconciles it. */
export interface DefaultSchedule {
  scheduleId: string;
  workflowType: string;
  args: unknown[];
  /** A cron expression (`0 *\/6 * * *`) or an interval (`15m`, `6h`). */
  spec: { cron: string } | { interval: string };
  taskQueue?: string;
  note?: string;
}

export interface ScheduleContext extends ModuleContext {
  tenantId: string;
}

/** A worker module: one package's workflows, activities and default schedules. */
export interface WorkerModule {
  /** Unique across a deployment; what `--modules` selects. Lowercase, digits and dashes. */
  name: string;
  description?: string;
  /** Absolute path (or file URL) of the module's sandbox-safe workflows entry. */
  workflowsPath?: string;
  /** Builds the module's activities from shared dependencies. */
  activities?: (context: ModuleContext) => ActivityMap | Promise<ActivityMap>;
  /**
   * Activities served on this worker's own task queue (`context.hostTaskQueue`):
   * a workflow first runs `resolveHostTaskQueue` on the shared queue, then sends
   * every activity that reads local state to the queue it returned.
   */
  hostActivities?: (context: ModuleContext) => ActivityMap | Promise<ActivityMap>;
  /** The schedules this module wants for a tenant. */
  schedules?: (context: ScheduleContext) => DefaultSchedule[] | Promise<DefaultSchedule[]>;
}

/** Declares a worker module with full types; returns it unchanged. */
export function defineModule<const M extends WorkerModule>(module: M): M {
  return module;
}

const MODULE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** True when `value` has the shape of a worker module (used on untrusted imports). */
export function isWorkerModule(value: unknown): value is WorkerModule {
  if (!value || typeof value !== 'object') return false;
  const candidate = value as Partial<WorkerModule>;
  return (
    typeof candidate.name === 'string' &&
    MODULE_NAME.test(candidate.name) &&
    (candidate.workflowsPath === undefined || typeof candidate.workflowsPath === 'string') &&
    (candidate.activities === undefined || typeof candidate.activities === 'function') &&
    (candidate.schedules === undefined || typeof candidate.schedules === 'function') &&
    (candidate.hostActivities === undefined || typeof candidate.hostActivities === 'function')
  );
}

import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError as TemporalScheduleNotFoundError,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
} from '@temporalio/client';
import {
  DEFAULT_OWNER,
  TENANT_MEMO_KEY,
  normalizeSchedule,
  normalizeSchedules,
  toCreateOptions,
  toUpdateOptions,
  type DesiredSchedule,
  type NormalizeDefaults,
  type NormalizedSchedule,
  type OverlapPolicy,
  type ScheduleDefinition,
} from './definition.js';
import { InvalidScheduleError, ScheduleNotFoundError } from './errors.js';
import {
  toScheduleDetails,
  toScheduleInfo,
  type ScheduleDetails,
  type ScheduleInfo,
  type ScheduleRun,
} from './schedule-view.js';
import { diffSchedule, planSync, type FieldChange, type SyncPlan } from './sync-plan.js';

export interface ScheduleManagerOptions {
  /** Owner tag written to the memo of schedules we create; `sync` prunes only schedules carrying it. */
  owner?: string;
}

/** What `createSchedule` did. */
export interface ScheduleChange {
  scheduleId: string;
  outcome: 'created' | 'updated' | 'unchanged';
  changes: FieldChange[];
}

export interface ListSchedulesOptions {
  /** Only schedules carrying our owner tag. */
  owned?: boolean;
  /** Only schedules made for this tenant (implies `owned`). */
  tenantId?: string;
  /**
   * Read each schedule's state from Temporal itself and the status of its last run (two calls per schedule).
   * Default: true. Without it, the list is the visibility store's copy, which can lag a change (a pause, a
   * note, a delete) by a moment.
   */
  withStatus?: boolean;
}

export interface SyncOptions extends NormalizeDefaults {
  /** Plan only: no schedule is created, updated or deleted. */
  dryRun?: boolean;
  /** Delete schedules that carry our owner tag (and `tenantId`, when given) but are not desired. */
  prune?: boolean;
}

export interface SyncResult {
  plan: SyncPlan;
  applied: boolean;
}

export interface BackfillOptions {
  from: Date;
  to: Date;
  overlap?: OverlapPolicy;
}

// Enough parallelism for hundreds of schedules without flooding the frontend.
const CONCURRENCY = 8;

async function mapLimit<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
}

/**
 * A schedule made for one tenant is never taken over for another, whatever its id: updating it would
 * point that tenant's schedule at someone else's data.
 */
function refuseOtherTenant(desired: NormalizedSchedule, stored: ScheduleDescription | undefined): void {
  const storedTenant = stored?.memo?.[TENANT_MEMO_KEY];
  if (desired.tenantId === undefined || typeof storedTenant !== 'string' || storedTenant === desired.tenantId) return;
  throw new InvalidScheduleError(`belongs to tenant "${storedTenant}", not "${desired.tenantId}"; give each tenant's schedule an id of its own`, {
    scheduleId: desired.scheduleId,
  });
}

/**
 * Temporal Schedules the ContextWorker way: creating is idempotent (an existing id is updated in place,
 * keeping its paused state and note), and `sync` reconciles a desired set with what the namespace holds.
 * Every definition is validated before Temporal is called.
 */
export class ScheduleManager {
  readonly owner: string;

  constructor(
    private readonly client: Client,
    options: ScheduleManagerOptions = {},
  ) {
    this.owner = options.owner ?? DEFAULT_OWNER;
  }

  get namespace(): string {
    return this.client.options.namespace;
  }

  /** Creates the schedule, or updates spec, action, task queue, input and overlap of an existing one. */
  async createSchedule(definition: ScheduleDefinition): Promise<ScheduleChange> {
    const desired = normalizeSchedule(definition);
    const stored = await this.tryDescribe(desired.scheduleId);
    refuseOtherTenant(desired, stored);
    return this.apply(desired, stored);
  }

  /** Every schedule of the namespace (ours and others'), or only ours with `owned`/`tenantId`. */
  async list(options: ListSchedulesOptions = {}): Promise<ScheduleInfo[]> {
    const listed: ScheduleInfo[] = [];
    for await (const summary of this.client.schedule.list()) {
      const info = toScheduleInfo(summary);
      if ((options.owned || options.tenantId !== undefined) && info.owner !== this.owner) continue;
      if (options.tenantId !== undefined && info.tenantId !== options.tenantId) continue;
      listed.push(info);
    }
    listed.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
    if (!(options.withStatus ?? true)) return listed;
    // The listing only names the schedules; describe reads what Temporal holds now, and drops one deleted since.
    const current = await mapLimit(listed, async (info) => {
      const description = await this.tryDescribe(info.scheduleId);
      if (!description) return undefined;
      const now = toScheduleInfo(description);
      await this.fillStatus(now.lastRun);
      return now;
    });
    return current.filter((info): info is ScheduleInfo => info !== undefined);
  }

  /** @throws {ScheduleNotFoundError} */
  async describe(scheduleId: string): Promise<ScheduleDetails> {
    const details = toScheduleDetails(await this.describeOrThrow(scheduleId));
    await mapLimit(details.recentRuns, (run) => this.fillStatus(run));
    const last = details.recentRuns[details.recentRuns.length - 1];
    if (details.lastRun && last) details.lastRun.status = last.status;
    return details;
  }

  /** @throws {ScheduleNotFoundError} */
  pause(scheduleId: string, note?: string): Promise<void> {
    return this.onHandle(scheduleId, (handle) => handle.pause(note ?? 'Paused with contextworker'));
  }

  /** @throws {ScheduleNotFoundError} */
  unpause(scheduleId: string, note?: string): Promise<void> {
    return this.onHandle(scheduleId, (handle) => handle.unpause(note ?? 'Unpaused with contextworker'));
  }

  /** Starts a run now; `overlap` defaults to Temporal's `ALLOW_ALL` for manual triggers. @throws {ScheduleNotFoundError} */
  trigger(scheduleId: string, overlap?: OverlapPolicy): Promise<void> {
    return this.onHandle(scheduleId, (handle) => handle.trigger(overlap));
  }

  /** @throws {ScheduleNotFoundError} */
  delete(scheduleId: string): Promise<void> {
    return this.onHandle(scheduleId, (handle) => handle.delete());
  }

  /** Takes the runs the schedule would have taken between `from` and `to` (both inclusive). @throws {ScheduleNotFoundError} */
  async backfill(scheduleId: string, options: BackfillOptions): Promise<void> {
    const { from, to } = options;
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new InvalidScheduleError('backfill needs valid from and to times', { scheduleId });
    if (to < from) throw new InvalidScheduleError(`backfill range ends (${to.toISOString()}) before it starts (${from.toISOString()})`, { scheduleId });
    await this.onHandle(scheduleId, (handle) => handle.backfill({ start: from, end: to, ...(options.overlap ? { overlap: options.overlap } : {}) }));
  }

  /** The plan `sync` would apply; calls only describe and list. */
  async plan(desired: readonly DesiredSchedule[], options: Omit<SyncOptions, 'dryRun'> = {}): Promise<SyncPlan> {
    return (await this.prepare(desired, options)).plan;
  }

  /** Reconciles `desired` with Temporal: create missing, update changed, and with `prune` delete our strays. */
  async sync(desired: readonly DesiredSchedule[], options: SyncOptions = {}): Promise<SyncResult> {
    const { plan, normalized, stored } = await this.prepare(desired, options);
    if (options.dryRun) return { plan, applied: false };
    for (const schedule of normalized) await this.apply(schedule, stored.get(schedule.scheduleId));
    for (const action of plan.actions) {
      if (action.kind !== 'delete') continue;
      await this.delete(action.scheduleId).catch((error: unknown) => {
        if (!(error instanceof ScheduleNotFoundError)) throw error; // already gone: the goal is met
      });
    }
    return { plan, applied: true };
  }

  private async prepare(desired: readonly DesiredSchedule[], options: Omit<SyncOptions, 'dryRun'>) {
    // Validate everything first, so a bad entry changes nothing.
    const normalized = normalizeSchedules(desired, options);
    const descriptions = await mapLimit(normalized, (schedule) => this.tryDescribe(schedule.scheduleId));
    const stored = new Map<string, ScheduleDescription>();
    normalized.forEach((schedule, i) => {
      const description = descriptions[i];
      if (description) stored.set(schedule.scheduleId, description);
      refuseOtherTenant(schedule, description);
    });
    const owned = await this.list({ owned: true, withStatus: false, ...(options.tenantId !== undefined ? { tenantId: options.tenantId } : {}) });
    const strays = owned.map((info) => ({ scheduleId: info.scheduleId, workflowType: info.workflowType ?? '-', spec: info.spec }));
    return { normalized, stored, plan: planSync({ desired: normalized, stored, owned: strays, prune: options.prune ?? false }) };
  }

  private async apply(desired: NormalizedSchedule, stored: ScheduleDescription | undefined): Promise<ScheduleChange> {
    const { scheduleId } = desired;
    if (!stored) {
      try {
        await this.client.schedule.create(toCreateOptions(desired, this.owner));
        return { scheduleId, outcome: 'created', changes: [] };
      } catch (error) {
        if (!(error instanceof ScheduleAlreadyRunning)) throw error;
        stored = await this.describeOrThrow(scheduleId); // created concurrently: update it instead
      }
    }
    const changes = diffSchedule(desired, stored);
    if (changes.length === 0) return { scheduleId, outcome: 'unchanged', changes };
    await this.onHandle(scheduleId, (handle) => handle.update((previous) => toUpdateOptions(desired, previous)));
    return { scheduleId, outcome: 'updated', changes };
  }

  private async fillStatus(run: ScheduleRun | undefined): Promise<void> {
    if (!run) return;
    try {
      run.status = (await this.client.workflow.getHandle(run.workflowId, run.runId).describe()).status.name;
    } catch {
      // Past retention, or not readable: the status stays unknown.
    }
  }

  private async tryDescribe(scheduleId: string): Promise<ScheduleDescription | undefined> {
    try {
      return await this.client.schedule.getHandle(scheduleId).describe();
    } catch (error) {
      if (error instanceof TemporalScheduleNotFoundError) return undefined;
      throw error;
    }
  }

  private async describeOrThrow(scheduleId: string): Promise<ScheduleDescription> {
    return this.onHandle(scheduleId, (handle) => handle.describe());
  }

  private async onHandle<T>(scheduleId: string, fn: (handle: ScheduleHandle) => Promise<T>): Promise<T> {
    try {
      return await fn(this.client.schedule.getHandle(scheduleId));
    } catch (error) {
      if (error instanceof TemporalScheduleNotFoundError) throw new ScheduleNotFoundError(scheduleId, this.namespace, { cause: error });
      throw error;
    }
  }
}

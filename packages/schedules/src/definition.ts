import type { ScheduleDescription, ScheduleOptions, ScheduleUpdateOptions } from '@temporalio/client';
import type { DefaultSchedule } from '@contextworker/registry';
import { parseCron } from './cron.js';
import { InvalidScheduleError } from './errors.js';
import { parseInterval, toTemporalSpec, type DesiredSpec } from './schedule-spec.js';

/** Memo key marking a schedule as made (and prunable) by us. */
export const OWNER_MEMO_KEY = 'contextworker.owner';
/** Memo key naming the tenant a schedule was made for. */
export const TENANT_MEMO_KEY = 'contextworker.tenant';
/** The default owner tag. */
export const DEFAULT_OWNER = 'contextworker';

/** What Temporal does when a run is due while the previous one still runs. */
export type OverlapPolicy = 'SKIP' | 'BUFFER_ONE' | 'BUFFER_ALL' | 'CANCEL_OTHER' | 'TERMINATE_OTHER' | 'ALLOW_ALL';

export const OVERLAP_POLICIES: readonly OverlapPolicy[] = ['SKIP', 'BUFFER_ONE', 'BUFFER_ALL', 'CANCEL_OTHER', 'TERMINATE_OTHER', 'ALLOW_ALL'];

interface ScheduleDefinitionBase {
  scheduleId: string;
  workflowType: string;
  /** Workflow arguments; JSON values. */
  args?: unknown[];
  taskQueue?: string;
  /** IANA zone the cron is read in (default UTC). */
  timezone?: string;
  /** Default `SKIP`. */
  overlap?: OverlapPolicy;
  /** Only for a new schedule: an existing one keeps its note. */
  note?: string;
  /** Only for a new schedule: an existing one keeps its paused state. */
  paused?: boolean;
  /** Recorded in the schedule's memo; `sync` prunes only within the tenant it runs for. */
  tenantId?: string;
}

/** One schedule as `ScheduleManager.createSchedule` takes it: exactly one of `cron` and `interval`. */
export type ScheduleDefinition = ScheduleDefinitionBase & ({ cron: string; interval?: undefined } | { interval: string; cron?: undefined });

/** A desired schedule in either shape: a definition, or a module's `DefaultSchedule`. */
export type DesiredSchedule = ScheduleDefinition | DefaultSchedule;

/** A validated definition, with the values Temporal will store. */
export interface NormalizedSchedule {
  scheduleId: string;
  workflowType: string;
  args: unknown[];
  taskQueue: string;
  timezone: string | undefined;
  overlap: OverlapPolicy;
  spec: DesiredSpec;
  note: string | undefined;
  paused: boolean;
  tenantId: string | undefined;
}

export interface NormalizeDefaults {
  /** Task queue for entries that name none. */
  taskQueue?: string;
  /** Tenant recorded on entries that name none. */
  tenantId?: string;
}

function toDefinition(desired: DesiredSchedule): ScheduleDefinition {
  if (!('spec' in desired)) return desired;
  const { spec, ...rest } = desired;
  return 'cron' in spec ? { ...rest, cron: spec.cron } : { ...rest, interval: spec.interval };
}

function isValidTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function jsonArgs(args: unknown[] | undefined, scheduleId: string): unknown[] {
  if (args !== undefined && !Array.isArray(args)) throw new InvalidScheduleError('args must be an array', { scheduleId });
  try {
    // What the JSON payload converter will store, so comparisons with Temporal's copy are exact.
    return JSON.parse(JSON.stringify(args ?? [])) as unknown[];
  } catch (error) {
    throw new InvalidScheduleError(`args are not JSON-serializable (${(error as Error).message})`, { scheduleId, cause: error });
  }
}

/**
 * Validates a desired schedule and fills defaults, without calling Temporal.
 *
 * @throws {InvalidScheduleError} (or its subclasses `InvalidCronError`, `InvalidIntervalError`).
 */
export function normalizeSchedule(desired: DesiredSchedule, defaults: NormalizeDefaults = {}): NormalizedSchedule {
  const definition = toDefinition(desired);
  const scheduleId = typeof definition.scheduleId === 'string' ? definition.scheduleId.trim() : '';
  if (!scheduleId) throw new InvalidScheduleError('a schedule needs a non-empty scheduleId');
  const context = { scheduleId };
  if (!definition.workflowType?.trim()) throw new InvalidScheduleError('workflowType is empty', context);
  const taskQueue = definition.taskQueue?.trim() || defaults.taskQueue?.trim();
  if (!taskQueue) throw new InvalidScheduleError('no task queue: set taskQueue on the schedule or pass a default', context);

  const hasCron = definition.cron !== undefined;
  const hasInterval = definition.interval !== undefined;
  if (hasCron === hasInterval) throw new InvalidScheduleError('give exactly one of cron and interval', context);
  const spec: DesiredSpec = hasCron
    ? { kind: 'cron', cron: definition.cron!.trim(), fields: parseCron(definition.cron!, context) }
    : { kind: 'interval', interval: definition.interval!.trim(), ms: parseInterval(definition.interval!, context) };

  const overlap = definition.overlap ?? 'SKIP';
  if (!OVERLAP_POLICIES.includes(overlap)) {
    throw new InvalidScheduleError(`unknown overlap policy "${String(overlap)}"; expected one of ${OVERLAP_POLICIES.join(', ')}`, context);
  }
  const timezone = definition.timezone?.trim() || undefined;
  if (timezone && !isValidTimezone(timezone)) throw new InvalidScheduleError(`unknown time zone "${timezone}"`, context);

  return {
    scheduleId,
    workflowType: definition.workflowType.trim(),
    args: jsonArgs(definition.args, scheduleId),
    taskQueue,
    timezone,
    overlap,
    spec,
    note: definition.note,
    paused: definition.paused ?? false,
    tenantId: definition.tenantId ?? defaults.tenantId,
  };
}

/** Normalizes a whole desired set, refusing duplicate ids; every entry is checked before any is used. */
export function normalizeSchedules(desired: readonly DesiredSchedule[], defaults: NormalizeDefaults = {}): NormalizedSchedule[] {
  const seen = new Set<string>();
  return desired.map((entry) => {
    const normalized = normalizeSchedule(entry, defaults);
    if (seen.has(normalized.scheduleId)) throw new InvalidScheduleError('is declared more than once', { scheduleId: normalized.scheduleId });
    seen.add(normalized.scheduleId);
    return normalized;
  });
}

/** Temporal's options for creating `desired`, tagged with `owner` (and the tenant) in the memo. */
export function toCreateOptions(desired: NormalizedSchedule, owner: string): ScheduleOptions {
  return {
    scheduleId: desired.scheduleId,
    spec: toTemporalSpec(desired.spec, desired.timezone),
    action: { type: 'startWorkflow', workflowType: desired.workflowType, taskQueue: desired.taskQueue, args: desired.args },
    policies: { overlap: desired.overlap },
    memo: { [OWNER_MEMO_KEY]: owner, ...(desired.tenantId ? { [TENANT_MEMO_KEY]: desired.tenantId } : {}) },
    state: { paused: desired.paused, ...(desired.note !== undefined ? { note: desired.note } : {}) },
  };
}

/**
 * Temporal's options for updating `previous` to `desired`. Keeps what a redeploy must not touch: paused state,
 * note, remaining actions, and action settings we do not manage (workflow id, retry, timeouts, memo).
 */
export function toUpdateOptions(desired: NormalizedSchedule, previous: ScheduleDescription): ScheduleUpdateOptions {
  return {
    spec: toTemporalSpec(desired.spec, desired.timezone),
    action: { ...previous.action, type: 'startWorkflow', workflowType: desired.workflowType, taskQueue: desired.taskQueue, args: desired.args },
    policies: { ...previous.policies, overlap: desired.overlap },
    state: { paused: previous.state.paused, note: previous.state.note, remainingActions: previous.state.remainingActions },
  };
}

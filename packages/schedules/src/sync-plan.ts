import type { ScheduleDescription } from '@temporalio/client';
import type { NormalizedSchedule } from './definition.js';
import { formatDesiredSpec, formatSpec, sameTimezone, specMatches } from './schedule-spec.js';

/** One field of a stored schedule that differs from the desired one. */
export interface FieldChange {
  field: 'spec' | 'timezone' | 'workflowType' | 'taskQueue' | 'args' | 'overlap';
  from: string;
  to: string;
}

export type SyncActionKind = 'create' | 'update' | 'unchanged' | 'delete';

/** What sync does (or, in a dry run, would do) to one schedule. */
export interface SyncAction {
  kind: SyncActionKind;
  scheduleId: string;
  workflowType: string;
  /** The spec after the action (for `delete`: the stored one). */
  spec: string;
  /** For `update`: what changes. */
  changes: FieldChange[];
}

/** A schedule carrying our owner tag that is not in the desired set. */
export interface StraySchedule {
  scheduleId: string;
  workflowType: string;
  spec: string;
}

export interface SyncPlan {
  actions: SyncAction[];
  /** Strays left alone because `prune` was off (with `prune` they are `delete` actions). */
  keptStrays: StraySchedule[];
}

// Key order does not matter to the workflow, so it must not count as a change.
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The fields of `stored` that differ from `desired`; empty when the schedule is up to date. */
export function diffSchedule(desired: NormalizedSchedule, stored: ScheduleDescription): FieldChange[] {
  const changes: FieldChange[] = [];
  const add = (field: FieldChange['field'], from: string | undefined, to: string | undefined): void => {
    changes.push({ field, from: from || '-', to: to || '-' });
  };
  if (!specMatches(desired.spec, stored.spec)) add('spec', formatSpec({ ...stored.spec, timezone: '' }), formatDesiredSpec(desired.spec));
  if (!sameTimezone(desired.timezone, stored.spec.timezone)) add('timezone', stored.spec.timezone || 'UTC', desired.timezone || 'UTC');
  if (stored.action.workflowType !== desired.workflowType) add('workflowType', stored.action.workflowType, desired.workflowType);
  if (stored.action.taskQueue !== desired.taskQueue) add('taskQueue', stored.action.taskQueue, desired.taskQueue);
  const storedArgs = canonicalJson(stored.action.args ?? []);
  const desiredArgs = canonicalJson(desired.args);
  if (storedArgs !== desiredArgs) add('args', storedArgs, desiredArgs);
  if ((stored.policies.overlap ?? 'SKIP') !== desired.overlap) add('overlap', stored.policies.overlap, desired.overlap);
  return changes;
}

export interface PlanSyncInput {
  desired: readonly NormalizedSchedule[];
  /** Stored descriptions of the desired ids that exist. */
  stored: ReadonlyMap<string, ScheduleDescription>;
  /** Schedules carrying our owner tag (within the tenant, when sync is scoped to one). */
  owned: readonly StraySchedule[];
  prune: boolean;
}

/** Compares the desired set with what Temporal holds; pure, so a dry run is exactly what sync would do. */
export function planSync(input: PlanSyncInput): SyncPlan {
  const actions: SyncAction[] = input.desired.map((desired) => {
    const base = { scheduleId: desired.scheduleId, workflowType: desired.workflowType, spec: formatDesiredSpec(desired.spec, desired.timezone) };
    const stored = input.stored.get(desired.scheduleId);
    if (!stored) return { kind: 'create', ...base, changes: [] };
    const changes = diffSchedule(desired, stored);
    return { kind: changes.length > 0 ? 'update' : 'unchanged', ...base, changes };
  });
  const wanted = new Set(input.desired.map((desired) => desired.scheduleId));
  const strays = input.owned.filter((schedule) => !wanted.has(schedule.scheduleId));
  if (!input.prune) return { actions, keptStrays: strays };
  return { actions: [...actions, ...strays.map((stray) => ({ kind: 'delete' as const, ...stray, changes: [] }))], keptStrays: [] };
}

/** How many actions of each kind a plan has. */
export function countActions(plan: SyncPlan): Record<SyncActionKind, number> {
  const counts: Record<SyncActionKind, number> = { create: 0, update: 0, unchanged: 0, delete: 0 };
  for (const action of plan.actions) counts[action.kind]++;
  return counts;
}

function table(rows: string[][]): string[] {
  const widths = rows.reduce<number[]>((acc, row) => row.map((cell, i) => Math.max(acc[i] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

/**
 * The plan as text: one line per schedule and a summary line. `applied` chooses between
 * "Plan: 1 to create, ..." (a dry run) and "Applied: 1 created, ...".
 */
export function formatSyncPlan(plan: SyncPlan, options: { applied: boolean }): string {
  const rows = plan.actions.map((action) => {
    const detail = action.changes.map((change) => `${change.field}: ${change.from} -> ${change.to}`).join('; ');
    return [action.kind, action.scheduleId, action.workflowType, action.spec, detail];
  });
  for (const stray of plan.keptStrays) rows.push(['stray', stray.scheduleId, stray.workflowType, stray.spec, 'kept; --prune deletes it']);
  const lines = rows.length > 0 ? table(rows) : ['No schedules.'];
  const counts = countActions(plan);
  const summary = options.applied
    ? `Applied: ${counts.create} created, ${counts.update} updated, ${counts.unchanged} unchanged, ${counts.delete} deleted.`
    : `Plan: ${counts.create} to create, ${counts.update} to update, ${counts.unchanged} unchanged, ${counts.delete} to delete. Dry run: nothing was changed.`;
  return [...lines, summary].join('\n');
}

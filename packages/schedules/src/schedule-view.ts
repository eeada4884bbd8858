import type { ScheduleDescription, ScheduleExecutionResult, ScheduleSummary } from '@temporalio/client';
import { OWNER_MEMO_KEY, TENANT_MEMO_KEY, type OverlapPolicy } from './definition.js';
import { formatSpec } from './schedule-spec.js';

/** One run a schedule started. */
export interface ScheduleRun {
  workflowId: string;
  runId: string;
  takenAt: Date;
  /** The run's status (`RUNNING`, `COMPLETED`, `FAILED`, ...), when it could be read. */
  status?: string;
}

/** A schedule as `list` shows it. */
export interface ScheduleInfo {
  scheduleId: string;
  workflowType: string | undefined;
  /** Cron-style fields or `every 15m`, with the time zone. */
  spec: string;
  nextRunAt: Date | undefined;
  paused: boolean;
  note: string | undefined;
  /** Our owner tag, when the schedule carries one. */
  owner: string | undefined;
  tenantId: string | undefined;
  lastRun: ScheduleRun | undefined;
}

/** A schedule as `describe` shows it. */
export interface ScheduleDetails extends ScheduleInfo {
  taskQueue: string | undefined;
  args: unknown[];
  overlap: OverlapPolicy;
  timezone: string | undefined;
  nextRunTimes: Date[];
  recentRuns: ScheduleRun[];
  runningWorkflows: { workflowId: string; runId: string }[];
  actionsTaken: number;
  createdAt: Date;
  updatedAt: Date | undefined;
  memo: Record<string, unknown>;
}

function memoString(memo: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = memo?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function toRun(result: ScheduleExecutionResult): ScheduleRun {
  return { workflowId: result.action.workflow.workflowId, runId: result.action.workflow.firstExecutionRunId, takenAt: result.takenAt };
}

export function toScheduleInfo(schedule: ScheduleSummary | ScheduleDescription): ScheduleInfo {
  const recent = schedule.info.recentActions;
  const last = recent[recent.length - 1];
  return {
    scheduleId: schedule.scheduleId,
    workflowType: schedule.action?.workflowType,
    spec: formatSpec(schedule.spec),
    nextRunAt: schedule.info.nextActionTimes[0],
    paused: schedule.state.paused,
    note: schedule.state.note || undefined,
    owner: memoString(schedule.memo, OWNER_MEMO_KEY),
    tenantId: memoString(schedule.memo, TENANT_MEMO_KEY),
    lastRun: last ? toRun(last) : undefined,
  };
}

export function toScheduleDetails(description: ScheduleDescription): ScheduleDetails {
  return {
    ...toScheduleInfo(description),
    taskQueue: description.action.taskQueue,
    args: [...(description.action.args ?? [])],
    overlap: (description.policies.overlap ?? 'SKIP') as OverlapPolicy,
    timezone: description.spec.timezone || undefined,
    nextRunTimes: description.info.nextActionTimes,
    recentRuns: description.info.recentActions.map(toRun),
    runningWorkflows: description.info.runningActions.map((a) => ({ workflowId: a.workflow.workflowId, runId: a.workflow.firstExecutionRunId })),
    actionsTaken: description.info.numActionsTaken,
    createdAt: description.info.createdAt,
    updatedAt: description.info.lastUpdatedAt,
    memo: description.memo ?? {},
  };
}

const time = (date: Date | undefined): string => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-');

function lastResult(run: ScheduleRun | undefined): string {
  return run ? `${run.status ?? 'UNKNOWN'} ${time(run.takenAt)}` : '-';
}

/** The `list` table: id, workflow, spec, next run, paused, last result. */
export function formatScheduleTable(schedules: readonly ScheduleInfo[]): string {
  if (schedules.length === 0) return 'No schedules.';
  const rows = [
    ['ID', 'WORKFLOW', 'SPEC', 'NEXT RUN', 'PAUSED', 'LAST RESULT'],
    ...schedules.map((s) => [s.scheduleId, s.workflowType ?? '-', s.spec, s.paused ? '-' : time(s.nextRunAt), s.paused ? 'yes' : 'no', lastResult(s.lastRun)]),
  ];
  const widths = rows.reduce<number[]>((acc, row) => row.map((cell, i) => Math.max(acc[i] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** `describe` as labelled lines. */
export function formatScheduleDetails(details: ScheduleDetails): string {
  const lines: [string, string][] = [
    ['Schedule', details.scheduleId],
    ['Workflow', details.workflowType ?? '-'],
    ['Task queue', details.taskQueue ?? '-'],
    ['Args', JSON.stringify(details.args)],
    ['Spec', details.spec],
    ['Overlap', details.overlap],
    ['Paused', details.paused ? 'yes' : 'no'],
    ['Note', details.note ?? '-'],
    ['Owner', details.owner ? `${details.owner}${details.tenantId ? ` (tenant ${details.tenantId})` : ''}` : '- (not made by contextworker)'],
    ['Next runs', details.nextRunTimes.slice(0, 3).map(time).join(', ') || '-'],
    ['Actions taken', String(details.actionsTaken)],
    ['Running', details.runningWorkflows.map((w) => w.workflowId).join(', ') || '-'],
    ['Recent runs', details.recentRuns.map((r) => `${r.workflowId} ${r.status ?? 'UNKNOWN'}`).join(', ') || '-'],
    ['Created', time(details.createdAt)],
  ];
  const width = Math.max(...lines.map(([label]) => label.length)) + 1;
  return lines.map(([label, value]) => `${`${label}:`.padEnd(width)} ${value}`).join('\n');
}

import type { ScheduleDescription } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { normalizeSchedule, type ScheduleDefinition } from './definition.js';
import { diffSchedule, formatSyncPlan, planSync } from './sync-plan.js';

const hours = (step: number) => [{ start: 0, end: 23, step }];
// A stored description as Temporal returns it for `0 */6 * * *` running HarvestWorkflow.
function stored(overrides: { hourStep?: number; args?: unknown[]; taskQueue?: string; overlap?: string; timezone?: string } = {}): ScheduleDescription {
  return {
    scheduleId: 'harvest-s1',
    spec: {
      calendars: [
        {
          second: [{ start: 0, end: 0, step: 1 }],
          minute: [{ start: 0, end: 0, step: 1 }],
          hour: hours(overrides.hourStep ?? 6),
          dayOfMonth: [{ start: 1, end: 31, step: 1 }],
          month: [{ start: 'JANUARY', end: 'DECEMBER', step: 1 }],
          year: [],
          dayOfWeek: [{ start: 'SUNDAY', end: 'SATURDAY', step: 1 }],
        },
      ],
      intervals: [],
      skip: [],
      timezone: overrides.timezone ?? '',
    },
    action: { type: 'startWorkflow', workflowType: 'HarvestWorkflow', taskQueue: overrides.taskQueue ?? 'q', args: overrides.args ?? [{ tenantId: 'acme', supplierId: 's1' }] },
    policies: { overlap: overrides.overlap ?? 'SKIP', catchupWindow: 60_000, pauseOnFailure: false },
    state: { paused: false },
    info: { recentActions: [], nextActionTimes: [] },
  } as unknown as ScheduleDescription;
}

const definition: ScheduleDefinition = {
  scheduleId: 'harvest-s1',
  workflowType: 'HarvestWorkflow',
  args: [{ supplierId: 's1', tenantId: 'acme' }],
  cron: '0 */6 * * *',
  taskQueue: 'q',
};
const desired = (overrides: Partial<ScheduleDefinition> = {}) => normalizeSchedule({ ...definition, ...overrides } as ScheduleDefinition);

describe('diffSchedule', () => {
  it('finds nothing when only notation or key order differ', () => {
    expect(diffSchedule(desired(), stored())).toEqual([]);
    expect(diffSchedule(desired({ cron: '0 0,6,12,18 * * *', timezone: 'UTC' }), stored())).toEqual([]);
  });

  it('lists each changed field with old and new value', () => {
    const changes = diffSchedule(desired({ cron: '0 */4 * * *', taskQueue: 'q2', overlap: 'BUFFER_ONE', timezone: 'Europe/Berlin' }), stored({ args: [{ tenantId: 'acme' }] }));
    expect(changes).toEqual([
      { field: 'spec', from: '0 */6 * * *', to: '0 */4 * * *' },
      { field: 'timezone', from: 'UTC', to: 'Europe/Berlin' },
      { field: 'taskQueue', from: 'q', to: 'q2' },
      { field: 'args', from: '[{"tenantId":"acme"}]', to: '[{"supplierId":"s1","tenantId":"acme"}]' },
      { field: 'overlap', from: 'SKIP', to: 'BUFFER_ONE' },
    ]);
  });
});

describe('planSync', () => {
  const others = [
    { scheduleId: 'harvest-s1', workflowType: 'HarvestWorkflow', spec: '0 */6 * * *' },
    { scheduleId: 'harvest-gone', workflowType: 'HarvestWorkflow', spec: '0 */6 * * *' },
  ];
  const input = {
    desired: [desired(), desired({ scheduleId: 'harvest-s2' }), desired({ scheduleId: 'harvest-s3', cron: '0 1 * * *' })],
    stored: new Map([
      ['harvest-s1', stored()],
      ['harvest-s3', stored()],
    ]),
    owned: others,
  };

  it('sorts desired schedules into create, update and unchanged, and keeps strays without prune', () => {
    const plan = planSync({ ...input, prune: false });
    expect(plan.actions.map((a) => [a.kind, a.scheduleId])).toEqual([
      ['unchanged', 'harvest-s1'],
      ['create', 'harvest-s2'],
      ['update', 'harvest-s3'],
    ]);
    expect(plan.keptStrays.map((s) => s.scheduleId)).toEqual(['harvest-gone']);
  });

  it('turns strays into deletes with prune', () => {
    const plan = planSync({ ...input, prune: true });
    expect(plan.actions.filter((a) => a.kind === 'delete').map((a) => a.scheduleId)).toEqual(['harvest-gone']);
    expect(plan.keptStrays).toEqual([]);
  });

  it('prints one line per schedule and a summary', () => {
    const text = formatSyncPlan(planSync({ ...input, prune: false }), { applied: false });
    expect(text.split('\n')).toEqual([
      'unchanged  harvest-s1    HarvestWorkflow  0 */6 * * *',
      'create     harvest-s2    HarvestWorkflow  0 */6 * * *',
      'update     harvest-s3    HarvestWorkflow  0 1 * * *    spec: 0 */6 * * * -> 0 1 * * *',
      'stray      harvest-gone  HarvestWorkflow  0 */6 * * *  kept; --prune deletes it',
      'Plan: 1 to create, 1 to update, 1 unchanged, 0 to delete. Dry run: nothing was changed.',
    ]);
    expect(formatSyncPlan(planSync({ ...input, prune: true }), { applied: true })).toContain('Applied: 1 created, 1 updated, 1 unchanged, 1 deleted.');
  });
});

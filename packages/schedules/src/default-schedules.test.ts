import type { ScheduleContext, WorkerModule } from '@contextworker/registry';
import { describe, expect, it } from 'vitest';
import { collectModuleSchedules, defaultSchedules, mergeSchedules } from './default-schedules.js';
import { normalizeSchedules } from './definition.js';
import { InvalidScheduleError } from './errors.js';

describe('defaultSchedules', () => {
  it('gives each supplier a harvest and the tenant a gardener', () => {
    const schedules = defaultSchedules({ tenantId: 'acme', suppliers: [{ id: 's1' }, { id: 's2', cron: '30 2 * * *' }], taskQueue: 'q' });
    expect(schedules.map((s) => [s.scheduleId, s.workflowType, s.spec, s.args, s.taskQueue])).toEqual([
      ['harvest-acme.s1', 'HarvestWorkflow', { cron: '0 */6 * * *' }, [{ tenantId: 'acme', supplierId: 's1' }], 'q'],
      ['harvest-acme.s2', 'HarvestWorkflow', { cron: '30 2 * * *' }, [{ tenantId: 'acme', supplierId: 's2' }], 'q'],
      ['gardener-acme', 'GardenerWorkflow', { interval: '15m' }, [{ tenantId: 'acme' }], 'q'],
    ]);
    expect(() => normalizeSchedules(schedules)).not.toThrow();
  });

  it('leaves a bad supplier cron to validation, which names the schedule', () => {
    const schedules = defaultSchedules({ tenantId: 'acme', suppliers: [{ id: 's1', cron: '0 25 * * *' }], taskQueue: 'q' });
    expect(() => normalizeSchedules(schedules)).toThrow('Schedule "harvest-acme.s1": Invalid cron "0 25 * * *": hour field "25" is out of range 0-23');
  });
});

describe('collectModuleSchedules and mergeSchedules', () => {
  const context = { tenantId: 'acme' } as ScheduleContext;
  const module = (name: string, ids: string[]): WorkerModule => ({
    name,
    schedules: (ctx) => ids.map((id) => ({ scheduleId: id, workflowType: 'W', args: [ctx.tenantId], spec: { interval: '1h' } })),
  });

  it('gathers every module’s schedules for the tenant', async () => {
    const found = await collectModuleSchedules([module('a', ['a-1']), { name: 'quiet' }, module('b', ['b-1', 'b-2'])], context);
    expect(found.map((s) => [s.scheduleId, s.args])).toEqual([['a-1', ['acme']], ['b-1', ['acme']], ['b-2', ['acme']]]);
  });

  it('refuses an id declared by two modules, naming both', async () => {
    const error = await collectModuleSchedules([module('a', ['x']), module('b', ['x'])], context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidScheduleError);
    expect((error as Error).message).toBe('Schedule "x": is declared by both module "a" and module "b"');
  });

  it('lets a module override a built-in default of the same id', () => {
    const defaults = defaultSchedules({ tenantId: 'acme', suppliers: [], taskQueue: 'q' });
    const own = { scheduleId: 'gardener-acme', workflowType: 'GardenerWorkflow', args: [], spec: { interval: '5m' } };
    expect(mergeSchedules(defaults, [own])).toEqual([own]);
    expect(mergeSchedules(defaults, [{ ...own, scheduleId: 'other' }])).toHaveLength(2);
  });
});

import { describe, expect, it } from 'vitest';
import { normalizeSchedule, normalizeSchedules } from './definition.js';
import { InvalidCronError, InvalidIntervalError, InvalidScheduleError } from './errors.js';

const base = { scheduleId: 'harvest-s1', workflowType: 'HarvestWorkflow', taskQueue: 'q' };

describe('normalizeSchedule', () => {
  it('fills defaults and reads both shapes (definition and module DefaultSchedule)', () => {
    const fromDefinition = normalizeSchedule({ ...base, cron: '0 */6 * * *', args: [{ b: 1, a: undefined }] }, { tenantId: 'acme' });
    expect(fromDefinition).toMatchObject({ overlap: 'SKIP', paused: false, tenantId: 'acme', args: [{ b: 1 }], timezone: undefined });
    expect(fromDefinition.spec).toMatchObject({ kind: 'cron', cron: '0 */6 * * *' });
    const fromModule = normalizeSchedule({ scheduleId: 'g', workflowType: 'W', args: [], spec: { interval: '15m' } }, { taskQueue: 'default' });
    expect(fromModule).toMatchObject({ taskQueue: 'default', spec: { kind: 'interval', interval: '15m', ms: 900_000 } });
  });

  it('refuses incomplete or contradictory definitions, naming the schedule', () => {
    expect(() => normalizeSchedule({ ...base, taskQueue: undefined, cron: '* * * * *' })).toThrow('Schedule "harvest-s1": no task queue');
    expect(() => normalizeSchedule({ ...base } as never)).toThrow('give exactly one of cron and interval');
    expect(() => normalizeSchedule({ ...base, cron: '* * * * *', interval: '1h' } as never)).toThrow('give exactly one of cron and interval');
    expect(() => normalizeSchedule({ ...base, cron: '* * * * *', overlap: 'SOMETIMES' as never })).toThrow('unknown overlap policy "SOMETIMES"');
    expect(() => normalizeSchedule({ ...base, cron: '* * * * *', timezone: 'Mars/Olympus' })).toThrow('unknown time zone "Mars/Olympus"');
    expect(() => normalizeSchedule({ ...base, scheduleId: ' ', cron: '* * * * *' })).toThrow('non-empty scheduleId');
    expect(() => normalizeSchedule({ ...base, cron: '* * * * *', args: [10n] })).toThrow('args are not JSON-serializable');
    expect(() => normalizeSchedule({ ...base, cron: '0 25 * * *' })).toThrow(InvalidCronError);
    expect(() => normalizeSchedule({ ...base, interval: '15' })).toThrow(InvalidIntervalError);
  });

  it('accepts valid zones', () => {
    expect(normalizeSchedule({ ...base, cron: '0 3 * * *', timezone: 'Europe/Moscow' }).timezone).toBe('Europe/Moscow');
  });
});

describe('normalizeSchedules', () => {
  it('refuses duplicate ids', () => {
    const entry = { ...base, cron: '* * * * *' };
    expect(() => normalizeSchedules([entry, entry])).toThrow(InvalidScheduleError);
    expect(() => normalizeSchedules([entry, entry])).toThrow('Schedule "harvest-s1": is declared more than once');
  });
});

import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { InvalidCronError, InvalidIntervalError, InvalidScheduleError } from './errors.js';
import { ScheduleManager } from './schedule-manager.js';

// A client that fails the test if anything touches it: validation must come before any call.
const untouchable = new Proxy({} as Client, {
  get(_target, property) {
    if (property === 'then') return undefined;
    throw new Error(`Temporal was called (client.${String(property)})`);
  },
});

describe('ScheduleManager validation', () => {
  const manager = new ScheduleManager(untouchable);
  const base = { scheduleId: 'harvest-s1', workflowType: 'HarvestWorkflow', taskQueue: 'q', args: [] };

  it('rejects a bad cron or interval before Temporal is called', async () => {
    await expect(manager.createSchedule({ ...base, cron: '0 25 * * *' })).rejects.toThrow(InvalidCronError);
    await expect(manager.createSchedule({ ...base, cron: '0 25 * * *' })).rejects.toThrow('hour field "25" is out of range 0-23');
    await expect(manager.createSchedule({ ...base, interval: 'often' })).rejects.toThrow(InvalidIntervalError);
  });

  it('checks the whole desired set before planning or syncing', async () => {
    const desired = [
      { ...base, cron: '0 */6 * * *' },
      { ...base, scheduleId: 'bad', spec: { cron: '0 0 * * 8' } },
    ];
    await expect(manager.sync(desired, { dryRun: true })).rejects.toThrow('Schedule "bad": Invalid cron "0 0 * * 8": day-of-week field "8" is out of range 0-7');
    await expect(manager.plan(desired)).rejects.toThrow(InvalidScheduleError);
  });

  it('rejects a reversed backfill range', async () => {
    await expect(manager.backfill('harvest-s1', { from: new Date('2024-02-01'), to: new Date('2024-01-01') })).rejects.toThrow('ends');
  });
});

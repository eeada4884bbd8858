import type { Client } from '@temporalio/client';
import { createTestClient, uniqueSuffix } from '@contextworker/test-utils';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InvalidScheduleError, ScheduleManager, ScheduleNotFoundError, defaultSchedules, type ScheduleDefinition } from '../src/index.js';
import { eventually, startedRun, terminateRuns } from './helpers.js';

let client: Client;
let manager: ScheduleManager;
const created: string[] = [];

beforeAll(async () => {
  client = await createTestClient();
  manager = new ScheduleManager(client);
});

afterAll(async () => {
  await Promise.allSettled(created.map((id) => client.schedule.getHandle(id).delete()));
  await client.connection.close();
});

function harvest(id: string, overrides: Partial<ScheduleDefinition> = {}): ScheduleDefinition {
  created.push(id);
  return { scheduleId: id, workflowType: 'HarvestWorkflow', args: [{ tenantId: 't', supplierId: id }], taskQueue: 'schedules-test', cron: '0 */6 * * *', ...overrides } as ScheduleDefinition;
}

async function listedIds(): Promise<string[]> {
  return (await manager.list({ withStatus: false })).map((s) => s.scheduleId);
}

describe('createSchedule', () => {
  it('is idempotent: a second create with a changed cron updates the one schedule, keeping paused state and note', async () => {
    const id = `harvest-${uniqueSuffix()}`;
    expect(await manager.createSchedule(harvest(id, { note: 'first deploy' }))).toMatchObject({ outcome: 'created' });
    await manager.pause(id, 'supplier feed is down');

    const second = await manager.createSchedule(harvest(id, { cron: '0 */4 * * *', note: 'second deploy', paused: false, taskQueue: 'schedules-test-2' }));
    expect(second.outcome).toBe('updated');
    expect(second.changes.map((c) => c.field)).toEqual(['spec', 'taskQueue']);

    const details = await manager.describe(id);
    expect(details).toMatchObject({ spec: '0 */4 * * *', paused: true, note: 'supplier feed is down', taskQueue: 'schedules-test-2', owner: 'contextworker' });
    expect(await manager.createSchedule(harvest(id, { cron: '0 0,4,8,12,16,20 * * *', taskQueue: 'schedules-test-2' }))).toMatchObject({ outcome: 'unchanged' });

    await eventually(async () => {
      const listed = (await manager.list({ withStatus: false })).filter((s) => s.scheduleId === id);
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ spec: '0 */4 * * *', paused: true });
    });
  });

  it('creates intervals and time zones as given', async () => {
    const id = `gardener-${uniqueSuffix()}`;
    await manager.createSchedule({ ...harvest(id), cron: undefined, interval: '15m', timezone: 'Europe/Berlin', overlap: 'BUFFER_ONE', paused: true, note: 'new' });
    expect(await manager.describe(id)).toMatchObject({ spec: 'every 15m (Europe/Berlin)', overlap: 'BUFFER_ONE', paused: true, note: 'new' });
  });
});

describe('sync', () => {
  async function setUp(tenantId: string) {
    const desired = [
      harvest(`harvest-same-${tenantId}`, { tenantId }),
      harvest(`harvest-changed-${tenantId}`, { tenantId, cron: '30 1 * * *' }),
      harvest(`harvest-new-${tenantId}`, { tenantId }),
    ];
    await manager.createSchedule(desired[0]!);
    await manager.createSchedule(harvest(desired[1]!.scheduleId, { tenantId })); // the old cron
    const stray = harvest(`harvest-stray-${tenantId}`, { tenantId });
    await manager.createSchedule(stray);
    // Made by someone else: same look, no owner memo.
    const foreignId = `harvest-foreign-${tenantId}`;
    created.push(foreignId);
    await client.schedule.create({
      scheduleId: foreignId,
      spec: { cronExpressions: ['0 */6 * * *'] },
      action: { type: 'startWorkflow', workflowType: 'HarvestWorkflow', taskQueue: 'schedules-test', args: [] },
    });
    // Another tenant's stray is outside this sync's scope.
    const otherTenant = harvest(`harvest-other-${tenantId}`, { tenantId: `${tenantId}-other` });
    await manager.createSchedule(otherTenant);
    await eventually(async () => expect(await listedIds()).toEqual(expect.arrayContaining([stray.scheduleId, foreignId, otherTenant.scheduleId])));
    return { desired, stray: stray.scheduleId, foreignId, otherTenant: otherTenant.scheduleId };
  }

  it('with dryRun shows the plan and changes nothing', async () => {
    const tenantId = `t${uniqueSuffix()}`;
    const { desired, stray } = await setUp(tenantId);
    const before = await manager.describe(desired[1]!.scheduleId);

    const result = await manager.sync(desired, { tenantId, dryRun: true, prune: true });
    expect(result.applied).toBe(false);
    expect(result.plan.actions.map((a) => [a.kind, a.scheduleId])).toEqual([
      ['unchanged', desired[0]!.scheduleId],
      ['update', desired[1]!.scheduleId],
      ['create', desired[2]!.scheduleId],
      ['delete', stray],
    ]);

    const after = await manager.describe(desired[1]!.scheduleId);
    expect(after.spec).toBe('0 */6 * * *');
    expect(after.updatedAt).toEqual(before.updatedAt);
    await expect(manager.describe(desired[2]!.scheduleId)).rejects.toThrow(ScheduleNotFoundError);
    expect((await manager.describe(stray)).scheduleId).toBe(stray);
  });

  it('with prune applies the plan, removes our stray and leaves schedules made by others or for other tenants', async () => {
    const tenantId = `t${uniqueSuffix()}`;
    const { desired, stray, foreignId, otherTenant } = await setUp(tenantId);

    const result = await manager.sync(desired, { tenantId, prune: true });
    expect(result.applied).toBe(true);
    expect((await manager.describe(desired[1]!.scheduleId)).spec).toBe('30 1 * * *');
    expect((await manager.describe(desired[2]!.scheduleId)).tenantId).toBe(tenantId);
    await expect(manager.describe(stray)).rejects.toThrow(ScheduleNotFoundError);
    expect((await manager.describe(foreignId)).owner).toBeUndefined();
    expect((await manager.describe(otherTenant)).tenantId).toBe(`${tenantId}-other`);

    // The plan lists schedules through the server's visibility store, which sees the delete a moment later.
    await vi.waitFor(
      async () => {
        const again = await manager.sync(desired, { tenantId, dryRun: true, prune: true });
        expect(again.plan.actions.map((a) => a.kind)).toEqual(['unchanged', 'unchanged', 'unchanged']);
      },
      { timeout: 10_000, interval: 200 },
    );
  });

  it("refuses to take over another tenant's schedule of the same id, and changes nothing", async () => {
    const tenantId = `t${uniqueSuffix()}`;
    const id = `harvest-taken-${tenantId}`;
    await manager.createSchedule(harvest(id, { tenantId: `${tenantId}-other` }));
    const mine = harvest(`harvest-mine-${tenantId}`, { tenantId });
    await expect(manager.sync([mine, harvest(id, { tenantId, cron: '0 1 * * *' })], { tenantId })).rejects.toThrow(`belongs to tenant "${tenantId}-other"`);
    await expect(manager.createSchedule(harvest(id, { tenantId, cron: '0 1 * * *' }))).rejects.toThrow(InvalidScheduleError);
    expect(await manager.describe(id)).toMatchObject({ tenantId: `${tenantId}-other`, spec: '0 */6 * * *' });
    await expect(manager.describe(mine.scheduleId)).rejects.toThrow(ScheduleNotFoundError);
  });

  it('applies a tenant’s default schedules from defaultSchedules()', async () => {
    const tenantId = `t${uniqueSuffix()}`;
    const desired = defaultSchedules({ tenantId, suppliers: [{ id: `s-${tenantId}` }], taskQueue: 'schedules-test' });
    created.push(...desired.map((d) => d.scheduleId));
    await manager.sync(desired, { tenantId });
    expect(await manager.describe(`gardener-${tenantId}`)).toMatchObject({ workflowType: 'GardenerWorkflow', spec: 'every 15m', args: [{ tenantId }] });
    expect(await manager.describe(`harvest-${tenantId}.s-${tenantId}`)).toMatchObject({ workflowType: 'HarvestWorkflow', spec: '0 */6 * * *' });
  });
});

describe('trigger and backfill', () => {
  it('trigger starts a run of the schedule’s workflow with its arguments', async () => {
    const id = `harvest-${uniqueSuffix()}`;
    await manager.createSchedule(harvest(id, { cron: '0 0 1 1 *', args: [{ tenantId: 'acme', supplierId: 's9' }] }));
    await manager.trigger(id, 'ALLOW_ALL');

    const details = await eventually(async () => {
      const described = await manager.describe(id);
      expect(described.recentRuns).toHaveLength(1);
      return described;
    });
    const run = details.recentRuns[0]!;
    try {
      expect(await startedRun(client, run)).toEqual({ workflowType: 'HarvestWorkflow', taskQueue: 'schedules-test', args: [{ tenantId: 'acme', supplierId: 's9' }] });
      expect(details.lastRun).toMatchObject({ workflowId: run.workflowId, status: 'RUNNING' });
    } finally {
      await terminateRuns(client, [run]);
    }
  });

  it('backfill takes the runs of a past window, even while paused', async () => {
    const id = `harvest-${uniqueSuffix()}`;
    await manager.createSchedule(harvest(id, { cron: '* * * * *', paused: true }));
    await manager.backfill(id, { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-01-01T00:02:00Z'), overlap: 'ALLOW_ALL' });
    const details = await eventually(async () => {
      const described = await manager.describe(id);
      expect(described.actionsTaken).toBe(3);
      return described;
    });
    await terminateRuns(client, details.recentRuns);
    expect(details.recentRuns.map((r) => r.workflowId)).toEqual([0, 1, 2].map((m) => `${id}-workflow-2024-01-01T00:0${m}:00Z`));
  });
});

describe('unknown schedule ids', () => {
  it('every operation throws ScheduleNotFoundError naming the id', async () => {
    const id = `missing-${uniqueSuffix()}`;
    const operations = [
      () => manager.describe(id),
      () => manager.pause(id),
      () => manager.unpause(id),
      () => manager.trigger(id),
      () => manager.delete(id),
      () => manager.backfill(id, { from: new Date('2024-01-01'), to: new Date('2024-01-02') }),
    ];
    for (const operation of operations) {
      const error = await operation().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ScheduleNotFoundError);
      expect((error as Error).message).toBe(`Schedule "${id}" not found in namespace "default"`);
    }
  });
});

describe('list', () => {
  it('shows a pause, an unpause and a delete at once, though the visibility store catches up later', async () => {
    const id = `listed-${uniqueSuffix()}`;
    await manager.createSchedule(harvest(id));
    await eventually(async () => expect(await listedIds()).toContain(id));
    const find = async () => (await manager.list()).find((s) => s.scheduleId === id);

    // Each step is read straight after it is made: none waits for the visibility store.
    for (let round = 1; round <= 3; round++) {
      await manager.pause(id, `maintenance ${round}`);
      expect(await find()).toMatchObject({ paused: true, note: `maintenance ${round}` });
      await manager.unpause(id, `back ${round}`);
      expect(await find()).toMatchObject({ paused: false, note: `back ${round}` });
    }
    await manager.delete(id);
    expect(await find()).toBeUndefined();
  });
});

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import { findTemporalCli } from '@contextworker/dev-servers';
import { createTestClient, temporalAddress, uniqueSuffix } from '@contextworker/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScheduleManager } from '../src/index.js';
import { eventually } from './helpers.js';

const run = promisify(execFile);
let client: Client;
let manager: ScheduleManager;
let cliPath: string;
const created: string[] = [];

async function temporal(...args: string[]): Promise<string> {
  const { stdout } = await run(cliPath, [...args, '--address', temporalAddress(), '--namespace', 'default', '--color', 'never']);
  return stdout;
}

beforeAll(async () => {
  const found = await findTemporalCli({ build: false });
  if (!found) throw new Error('No Temporal CLI: the integration global setup should have found one (set TEMPORAL_CLI_PATH)');
  cliPath = found;
  client = await createTestClient();
  manager = new ScheduleManager(client);
});

afterAll(async () => {
  await Promise.allSettled(created.map((id) => client.schedule.getHandle(id).delete()));
  await client.connection.close();
});

describe('interop with the Temporal CLI', () => {
  it('a schedule made by ScheduleManager shows in `temporal schedule list` and `describe`, owner memo included', async () => {
    const id = `harvest-${uniqueSuffix()}`;
    created.push(id);
    await manager.createSchedule({ scheduleId: id, workflowType: 'HarvestWorkflow', args: [{ tenantId: 'acme' }], taskQueue: 'interop', cron: '0 */6 * * *', tenantId: 'acme' });

    await eventually(async () => expect(await temporal('schedule', 'list')).toContain(id));
    const described = JSON.parse(await temporal('schedule', 'describe', '--schedule-id', id, '-o', 'json')) as {
      schedule: { action: { startWorkflow: { workflowType: { name: string } } } };
      memo?: { fields?: Record<string, unknown> };
    };
    expect(described.schedule.action.startWorkflow.workflowType.name).toBe('HarvestWorkflow');
    expect(Object.keys(described.memo?.fields ?? {})).toEqual(expect.arrayContaining(['contextworker.owner', 'contextworker.tenant']));
  });

  it('a schedule made with `temporal schedule create` is listed, described and paused by ScheduleManager', async () => {
    const id = `cli-made-${uniqueSuffix()}`;
    created.push(id);
    await temporal('schedule', 'create', '--schedule-id', id, '--cron', '30 2 * * MON', '--type', 'HarvestWorkflow', '--task-queue', 'interop', '--input', '{"tenantId":"acme","supplierId":"s1"}');

    await eventually(async () => {
      const listed = (await manager.list()).find((s) => s.scheduleId === id);
      expect(listed).toMatchObject({ workflowType: 'HarvestWorkflow', spec: '30 2 * * 1', paused: false, owner: undefined });
    });
    expect(await manager.describe(id)).toMatchObject({ taskQueue: 'interop', args: [{ tenantId: 'acme', supplierId: 's1' }], owner: undefined });

    await manager.pause(id, 'paused from contextworker');
    const state = (JSON.parse(await temporal('schedule', 'describe', '--schedule-id', id, '-o', 'json')) as { schedule: { state: { paused?: boolean; notes?: string } } }).schedule.state;
    expect(state).toMatchObject({ paused: true, notes: 'paused from contextworker' });

    // Ours updates it in place like any other id (its memo cannot change, so it is never pruned).
    const change = await manager.createSchedule({ scheduleId: id, workflowType: 'HarvestWorkflow', args: [{ tenantId: 'acme', supplierId: 's1' }], taskQueue: 'interop', cron: '0 3 * * MON' });
    expect(change.outcome).toBe('updated');
    expect(await manager.describe(id)).toMatchObject({ spec: '0 3 * * 1', paused: true, note: 'paused from contextworker' });
  });
});

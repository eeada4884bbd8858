import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestClient, createTestDatabase, temporalAddress, uniqueSuffix, waitFor } from '@contextworker/test-utils';
import { migrateCatalog, openCatalog, upsertSupplier } from '@contextworker/catalog';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../src/exit-codes.js';
import { runInProcess } from './in-process-cli.js';

const projectDir = mkdtempSync(join(tmpdir(), 'schedules-cli-'));
const tenantId = `t${uniqueSuffix()}`;
const gardenerId = `gardener-${tenantId}`;

afterAll(async () => {
  const client = await createTestClient();
  await client.schedule.getHandle(gardenerId).delete().catch(() => undefined);
  await client.connection.close();
  rmSync(projectDir, { recursive: true, force: true });
});

/** Runs `contextworker schedules ...` in-process, adding the connection flags where a command takes them. */
function cli(...args: string[]) {
  const connection = ['--temporal-host', temporalAddress(), '--namespace', 'default', '--project-dir', projectDir];
  const withConnection = ['list', 'describe', 'pause', 'unpause', 'trigger', 'delete', 'backfill', 'sync', 'create'].includes(args[0] ?? '');
  return runInProcess(['schedules', ...args, ...(withConnection ? connection : [])]);
}

describe('contextworker schedules', () => {
  it("sync --dry-run plans a harvest schedule per supplier of the tenant, with the supplier's own cron", async () => {
    const database = await createTestDatabase('schedules_cli');
    const catalog = await openCatalog({ url: database.url, embeddedDir: join(projectDir, 'unused') });
    try {
      await migrateCatalog(catalog);
      await upsertSupplier(catalog, tenantId, { id: 'camping-trade', feedUrl: 'https://feeds.example.com/c.csv', format: 'csv', harvestCron: '0 */4 * * *' });
      await upsertSupplier(catalog, tenantId, { id: 'outdoor', feedUrl: 'https://feeds.example.com/o.xml', format: 'yml' });
      await upsertSupplier(catalog, 'someone-else', { id: 'not-ours', feedUrl: 'https://feeds.example.com/n.csv', format: 'csv' });
      vi.stubEnv('DATABASE_URL', database.url);
      const dry = await cli('sync', '--dry-run', '--tenant-id', tenantId, '--task-queue', 'cli-test');
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toMatch(new RegExp(`^create\\s+harvest-${tenantId}\\.camping-trade\\s+HarvestWorkflow\\s+.*0 \\*/4 \\* \\* \\*`, 'm'));
      expect(dry.stdout).toMatch(new RegExp(`^create\\s+harvest-${tenantId}\\.outdoor\\s+HarvestWorkflow\\s+.*0 \\*/6 \\* \\* \\*`, 'm'));
      expect(dry.stdout).not.toContain('not-ours');
      expect(dry.stdout).toContain('Dry run: nothing was changed.');
    } finally {
      vi.unstubAllEnvs();
      await catalog.close();
      await database.drop();
    }
  });

  it('sync --dry-run prints the plan and changes nothing; create then applies it, idempotently', async () => {
    const dry = await cli('sync', '--dry-run', '--tenant-id', tenantId, '--task-queue', 'cli-test');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`^create\\s+${gardenerId}\\s+GardenerWorkflow\\s+every 15m$`, 'm'));
    expect(dry.stdout).toContain('Dry run: nothing was changed.');
    expect((await cli('describe', gardenerId)).code).toBe(ExitCode.usage);

    const created = await cli('create', '--tenant-id', tenantId, '--task-queue', 'cli-test');
    expect(created.stdout).toContain('Applied: 1 created, 0 updated, 0 unchanged, 0 deleted.');
    const again = await cli('create', '--tenant-id', tenantId, '--task-queue', 'cli-test');
    expect(again.stdout).toMatch(new RegExp(`^unchanged\\s+${gardenerId}`, 'm'));
  });

  it('list --json and pause show the schedule as Temporal holds it', async () => {
    const listJson = async () => {
      const listed = await cli('list', '--json');
      expect(listed.code, listed.stderr).toBe(0);
      return (JSON.parse(listed.stdout) as { scheduleId: string }[]).find((s) => s.scheduleId === gardenerId);
    };
    // A new schedule reaches the listing through the visibility store, a moment after it is made ...
    await waitFor(listJson, `${gardenerId} to be listed`, 20_000);
    expect((await cli('pause', gardenerId, '--note', 'maintenance')).stdout).toBe(`Paused ${gardenerId}\n`);
    // ... but a pause shows at once: list reads each schedule's state from Temporal itself.
    const ours = await listJson();
    expect(ours).toMatchObject({ workflowType: 'GardenerWorkflow', spec: 'every 15m', paused: true, note: 'maintenance', owner: 'contextworker', tenantId });
    const table = (await cli('list')).stdout.split('\n');
    expect(table[0]).toMatch(/^ID\s+WORKFLOW\s+SPEC\s+NEXT RUN\s+PAUSED\s+LAST RESULT$/);
  });

  it('an unknown schedule id fails with a clear message and a non-zero exit code', async () => {
    const result = await cli('describe', 'no-such-schedule');
    expect(result.code).not.toBe(ExitCode.ok);
    expect(result.stderr).toContain('Schedule "no-such-schedule" not found in namespace "default"');
  });

  it('a bad overlap policy or backfill range is a usage error', async () => {
    expect((await cli('trigger', gardenerId, '--overlap', 'sometimes')).code).toBe(ExitCode.usage);
    expect((await cli('backfill', gardenerId, '--from', '2024-01-02T00:00:00Z', '--to', '2024-01-01T00:00:00Z')).code).toBe(ExitCode.usage);
    expect((await cli('backfill', gardenerId, '--from', 'yesterday', '--to', '2024-01-01T00:00:00Z')).code).toBe(ExitCode.usage);
  });
});

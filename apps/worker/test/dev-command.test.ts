import { connect } from 'node:net';
import { join } from 'node:path';
import { countProducts, openCatalog } from '@contextworker/catalog';
import { createTestDatabase, temporalAddress, uniqueSuffix, uniqueTaskQueue, withTempDir } from '@contextworker/test-utils';
import { describe, expect, it } from 'vitest';
import { startCli, waitFor, type CliProcess } from './cli-process.js';

const RUNNING = 'The worker keeps running';

async function runUntilReady(cli: CliProcess): Promise<string> {
  await waitFor(
    () => (cli.output().includes(RUNNING) ? true : cli.child.exitCode !== null ? Promise.reject(new Error(`dev exited early:\n${cli.output()}`)) : undefined),
    `the first harvest of contextworker dev\n${cli.output()}`,
    180_000,
  );
  return cli.output();
}

async function interrupt(cli: CliProcess): Promise<number | null> {
  cli.child.kill('SIGINT');
  return cli.exited;
}

function accepts(address: string): Promise<boolean> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('contextworker dev', () => {
  it('starts its own Temporal dev server and embedded database, harvests the demo suppliers, and finds them unchanged on the next start', async () => {
    await withTempDir(async (projectDir) => {
      // Nothing configured: the command must bring up everything itself.
      const unset = ['TEMPORAL_HOST', 'DATABASE_URL', 'WORKER_TASK_QUEUE', 'TENANT_ID', 'HARVEST_ALLOW_NETWORKS'];
      const first = startCli(['dev', '--project-dir', projectDir], {}, unset);
      const output = await runUntilReady(first);
      expect(output).toMatch(/Database\s+embedded PostgreSQL in .*pgdata/);
      expect(output).toMatch(/Schedules\s+3 created, 0 updated, 0 unchanged/);
      expect(output).toMatch(/camping-trade\s+completed\s+created 30, updated 0, unchanged 0, errors 0, marked missing 0\n\s+enrichment: 30 classified, 0 failed/);
      expect(output).toMatch(/outdoor-supply\s+completed\s+created 24, updated 0, unchanged 0, errors 0, marked missing 0\n\s+enrichment: 24 classified, 0 failed/);

      const ui = /Web UI\s+(http:\/\/\S+)/.exec(output)?.[1];
      expect(ui).toBeDefined();
      const page = await fetch(ui!);
      expect(page.status).toBe(200);
      await page.arrayBuffer();
      const address = /Temporal\s+(\S+) \(dev server/.exec(output)?.[1];
      expect(address).toBeDefined();

      expect(await interrupt(first)).toBe(0);
      expect(first.output()).toContain('Stopped.');
      // The dev server it started is gone with it.
      expect(await accepts(address!)).toBe(false);

      const second = startCli(['dev', '--project-dir', projectDir], {}, unset);
      const again = await runUntilReady(second);
      expect(again).toMatch(/Schedules\s+0 created, 0 updated, 3 unchanged/);
      expect(again).toMatch(/camping-trade\s+unchanged/);
      expect(again).toMatch(/outdoor-supply\s+unchanged/);
      expect(await interrupt(second)).toBe(0);

      // What the first start stored is all there, classified, after two clean shutdowns.
      const catalog = await openCatalog({ embeddedDir: join(projectDir, '.contextworker', 'pgdata') });
      try {
        expect(await countProducts(catalog, { tenantId: 'default' })).toBe(54);
        expect(await countProducts(catalog, { tenantId: 'default', enrichmentStatus: 'done' })).toBe(54);
      } finally {
        await catalog.close();
      }
    }, 'contextworker-dev-');
  });

  it('uses the Temporal server and PostgreSQL it is given instead of starting its own', async () => {
    const database = await createTestDatabase('dev_cli');
    try {
      await withTempDir(async (projectDir) => {
        const tenant = `dev-${uniqueSuffix()}`;
        const cli = startCli(['dev', '--project-dir', projectDir, '--tenant-id', tenant, '--task-queue', uniqueTaskQueue('dev-cli')], {
          TEMPORAL_HOST: temporalAddress(),
          DATABASE_URL: database.url,
        });
        const output = await runUntilReady(cli);
        expect(output).toContain(`Temporal     ${temporalAddress()} (TEMPORAL_HOST)`);
        expect(output).not.toContain('Web UI');
        expect(output).not.toContain('Starting the Temporal dev server');
        expect(output).toMatch(/camping-trade\s+completed\s+created 30/);
        expect(output).toMatch(/outdoor-supply\s+completed\s+created 24/);
        expect(await interrupt(cli)).toBe(0);

        const catalog = await openCatalog({ url: database.url, embeddedDir: join(projectDir, 'unused') });
        try {
          expect(await countProducts(catalog, { tenantId: tenant, enrichmentStatus: 'done' })).toBe(54);
        } finally {
          await catalog.close();
        }
      }, 'contextworker-dev-');
    } finally {
      await database.drop();
    }
  });

  it('reports a failed demo harvest and keeps running until Ctrl-C, which still drains cleanly', async () => {
    const database = await createTestDatabase('dev_cli_fail');
    try {
      await withTempDir(async (projectDir) => {
        const cli = startCli(['dev', '--project-dir', projectDir, '--tenant-id', `dev-${uniqueSuffix()}`, '--task-queue', uniqueTaskQueue('dev-cli-fail')], {
          TEMPORAL_HOST: temporalAddress(),
          DATABASE_URL: database.url,
          // Both demo feeds are larger than this, so each harvest fails without retries.
          HARVEST_MAX_FEED_BYTES: '100',
        });
        const output = await runUntilReady(cli);
        expect(output).toMatch(/camping-trade\s+failed\s+Harvest harvest-dev-\S+-camping-trade-dev-\d+ failed: .*100 bytes/);
        expect(output).toMatch(/outdoor-supply\s+failed\s+Harvest .* failed: /);
        expect(await interrupt(cli)).toBe(0);
        expect(cli.output()).toContain('Stopped.');
      }, 'contextworker-dev-');
    } finally {
      await database.drop();
    }
  });
});

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort, findTemporalCli, startTemporalDevServer } from '@contextworker/dev-servers';
import {
  connectDatabase,
  createTestClient,
  createTestDatabase,
  databaseUrl,
  temporalAddress,
  withTempDir,
} from '@contextworker/test-utils';
import { describe, expect, it } from 'vitest';

describe('shared PostgreSQL from the global setup', () => {
  it('answers queries', async () => {
    const sql = connectDatabase();
    try {
      const [row] = await sql<{ version: string }[]>`select version()`;
      expect(row?.version).toMatch(/^PostgreSQL \d+/);
    } finally {
      await sql.end();
    }
    expect(databaseUrl()).toMatch(/^postgres:\/\/contextworker@127\.0\.0\.1:\d+\/postgres$/);
  });

  it('creates isolated databases that can be written, read and dropped', async () => {
    const db = await createTestDatabase('dev_servers');
    const other = await createTestDatabase('dev_servers');
    try {
      expect(db.name).not.toBe(other.name);
      await db.sql`create table products (id text primary key, price numeric(12, 2) not null)`;
      await db.sql`insert into products ${db.sql([{ id: 'tent-1', price: '199.90' }, { id: 'stove-2', price: '49.00' }])}`;
      const rows = await db.sql<{ id: string; price: string }[]>`select id, price from products order by id`;
      expect(rows.map((row) => ({ ...row }))).toEqual([
        { id: 'stove-2', price: '49.00' },
        { id: 'tent-1', price: '199.90' },
      ]);
      // The other database is a separate catalogue: the table does not exist there.
      await expect(other.sql`select 1 from products`).rejects.toThrow(/products/);
    } finally {
      await other.drop();
      await db.drop();
    }
    const admin = connectDatabase();
    try {
      const left = await admin`select datname from pg_database where datname in (${db.name}, ${other.name})`;
      expect(left).toHaveLength(0);
    } finally {
      await admin.end();
    }
  });
});

describe('shared Temporal dev server from the global setup', () => {
  it('serves the default namespace', async () => {
    const client = await createTestClient();
    try {
      const described = await client.workflowService.describeNamespace({ namespace: 'default' });
      expect(described.namespaceInfo?.name).toBe('default');
      const listed = await client.workflowService.listNamespaces({});
      expect(listed.namespaces.map((ns) => ns.namespaceInfo?.name)).toContain('default');
    } finally {
      await client.connection.close();
    }
    expect(temporalAddress()).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});

describe('startTemporalDevServer', () => {
  it('starts a server with extra namespaces, a UI and persistence, and stops it', async () => {
    const cliPath = await findTemporalCli({ build: false });
    expect(cliPath, 'the global setup found a Temporal CLI, so it must be found again').toBeDefined();
    await withTempDir(async (dir) => {
      const dbFilename = join(dir, 'temporal.db');
      const started = Date.now();
      const server = await startTemporalDevServer({ cliPath: cliPath!, namespaces: ['tenant-a'], uiPort: await findFreePort(), dbFilename });
      const startMs = Date.now() - started;
      try {
        expect(startMs).toBeLessThan(60_000);
        const ui = await fetch(server.uiUrl!);
        await ui.body?.cancel();
        expect(ui.status).toBe(200);
        expect(existsSync(dbFilename)).toBe(true);

        const client = await createTestClient({ address: server.address, namespace: 'tenant-a' });
        try {
          const described = await client.workflowService.describeNamespace({ namespace: 'tenant-a' });
          expect(described.namespaceInfo?.name).toBe('tenant-a');
        } finally {
          await client.connection.close();
        }
      } finally {
        await server.stop();
      }
      expect(isRunning(server.pid)).toBe(false);
    });
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Gardener tests' world: a fresh PostgreSQL database with a supplier, a loopback router that counts
// how often each product is classified, and worker processes running enrichment + gardener-polling.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateCatalog, openCatalog, upsertSupplier, type Catalog } from '@contextworker/catalog';
import { createTestClient, createTestDatabase, temporalAddress, uniqueTaskQueue, type TestDatabase } from '@contextworker/test-utils';
import type { Client } from '@temporalio/client';
import { startClassifierServer, routerAnswer, routerProducts, type ClassifierServer } from '../../enrichment/test/classifier-server.js';

export interface GardenerHarness {
  tenantId: string;
  taskQueue: string;
  catalog: Catalog;
  client: Client;
  router: ClassifierServer;
  /** How many times the router was asked to classify each product id. */
  classifyCalls: Map<string, number>;
  seed(count: number): Promise<string[]>;
  counts(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const script = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
  const tsconfig = fileURLToPath(new URL('./tsconfig.worker-process.json', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env, TSX_TSCONFIG_PATH: tsconfig },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker process exited with ${code}: ${errors.slice(-2000)}`)));
  });
}

export async function startGardenerHarness(options: { processes: number; routerDelayMs?: number }): Promise<GardenerHarness> {
  const db: TestDatabase = await createTestDatabase('gardener');
  const tenantId = 'acme';
  const taskQueue = uniqueTaskQueue('gardener');
  const catalog = await openCatalog({ url: db.url, embeddedDir: '' });
  await migrateCatalog(catalog);
  await upsertSupplier(catalog, tenantId, { id: 'camping-trade', feedUrl: 'https://feeds.example.com/camping.yml', format: 'yml' });
  const classifyCalls = new Map<string, number>();
  const router = await startClassifierServer((request) => {
    for (const product of routerProducts(request)) classifyCalls.set(product.id, (classifyCalls.get(product.id) ?? 0) + 1);
    return { ...routerAnswer(request), delayMs: options.routerDelayMs ?? 0 };
  });
  const env = {
    TEMPORAL_HOST: temporalAddress(),
    DATABASE_URL: db.url,
    PROJECT_DIR: mkdtempSync(join(tmpdir(), 'cw-gardener-')),
    TENANT_ID: tenantId,
    WORKER_TASK_QUEUE: taskQueue,
    WORKER_SHUTDOWN_GRACE_SECONDS: '1',
    ROUTER_URL: router.url(),
  };
  const children = await Promise.all(Array.from({ length: options.processes }, () => startWorkerProcess(env)));
  const client = await createTestClient();
  return {
    tenantId,
    taskQueue,
    catalog,
    client,
    router,
    classifyCalls,
    async seed(count) {
      const rows = await catalog.query<{ id: string }>(
        `insert into dealer_products (tenant_id, supplier_id, external_id, name, content_hash)
         select $1, 'camping-trade', 'G' || g, 'Палатка ' || g, md5(g::text) from generate_series(1, $2::int) g
         returning id::text as id`,
        [tenantId, count],
      );
      return rows.map((row) => row.id);
    },
    async counts() {
      const rows = await catalog.query<{ status: string; n: number }>(
        `select enrichment_status as status, count(*)::int as n from dealer_products where tenant_id = $1 group by 1`,
        [tenantId],
      );
      return Object.fromEntries(rows.map((row) => [row.status, row.n]));
    },
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
            }),
        ),
      );
      await client.connection.close();
      await catalog.close();
      await router.close();
      await db.drop();
    },
  };
}

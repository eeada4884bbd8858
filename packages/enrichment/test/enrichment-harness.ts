// Worker(s) composed in-process from the given modules against the shared dev server and a fresh
// PostgreSQL database, with helpers to seed products and read their enrichment back.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerConfig, connectWorker, createJsonLogger } from '@contextworker/core-temporal';
import { composeWorker, type WorkerModule } from '@contextworker/registry';
import { migrateCatalog, openCatalog, startHarvestRun, upsertSupplier, type Catalog } from '@contextworker/catalog';
import { createTestClient, createTestDatabase, temporalAddress, uniqueTaskQueue } from '@contextworker/test-utils';
import type { Client } from '@temporalio/client';

export interface ProductState {
  id: string;
  name: string;
  enrichment_status: string;
  enrichment_result: Record<string, unknown> | null;
  enrichment_hash: string | null;
  claimed_by: string | null;
}

export interface EnrichmentHarness {
  tenantId: string;
  taskQueue: string;
  catalog: Catalog;
  client: Client;
  /** Creates `count` pending products named by `name(i)` (i from 1), all seen by one new harvest run. */
  seed(count: number, name?: (index: number) => string): Promise<{ harvestRunId: string; ids: string[] }>;
  products(): Promise<ProductState[]>;
  counts(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

const DEFAULT_NAMES = ['Палатка туристическая', 'Спальный мешок -5', 'Rucksack 40 l backpack', 'Котелок походный', 'Куртка мембранная'];

export async function startEnrichmentHarness(options: { modules: WorkerModule[]; env?: Record<string, string>; workers?: number }): Promise<EnrichmentHarness> {
  const db = await createTestDatabase('enrich');
  const tenantId = 'acme';
  const taskQueue = uniqueTaskQueue('enrich');
  const config = WorkerConfig.fromEnv({
    TEMPORAL_HOST: temporalAddress(),
    DATABASE_URL: db.url,
    PROJECT_DIR: mkdtempSync(join(tmpdir(), 'cw-enrich-')),
    TENANT_ID: tenantId,
    WORKER_TASK_QUEUE: taskQueue,
    WORKER_SHUTDOWN_GRACE_SECONDS: '1',
    ...options.env,
  });
  const catalog = await openCatalog({ url: db.url, embeddedDir: config.database.embeddedDir });
  await migrateCatalog(catalog);
  await upsertSupplier(catalog, tenantId, { id: 'camping-trade', feedUrl: 'https://feeds.example.com/camping.yml', format: 'yml' });
  const logger = createJsonLogger({ level: 'WARN' });
  const connection = await connectWorker(config.temporal);
  const composed = await Promise.all(
    Array.from({ length: options.workers ?? 1 }, () => composeWorker({ config, modules: options.modules, connection, logger })),
  );
  const workers = composed.flatMap((one) => one.workers);
  const running = Promise.all(workers.map((worker) => worker.run()));
  const client = await createTestClient();

  return {
    tenantId,
    taskQueue,
    catalog,
    client,
    async seed(count, name = (index) => `${DEFAULT_NAMES[index % DEFAULT_NAMES.length]} #${index}`) {
      const run = await startHarvestRun(catalog, tenantId, { supplierId: 'camping-trade' });
      const names = Array.from({ length: count }, (_, index) => name(index + 1));
      const rows = await catalog.query<{ id: string }>(
        `insert into dealer_products (tenant_id, supplier_id, external_id, name, content_hash, last_seen_run_id)
         select $1, 'camping-trade', $2 || '-' || n.ord, n.name, md5(n.name || n.ord), $2::uuid
         from unnest($3::text[]) with ordinality as n(name, ord)
         returning id::text as id`,
        [tenantId, run.id, names],
      );
      return { harvestRunId: run.id, ids: rows.map((row) => row.id) };
    },
    products: () =>
      catalog.query<ProductState>(
        `select id::text as id, name, enrichment_status, enrichment_result, enrichment_hash, claimed_by from dealer_products where tenant_id = $1 order by id`,
        [tenantId],
      ),
    async counts() {
      const rows = await catalog.query<{ status: string; n: number }>(
        `select enrichment_status as status, count(*)::int as n from dealer_products where tenant_id = $1 group by 1`,
        [tenantId],
      );
      return Object.fromEntries(rows.map((row) => [row.status, row.n]));
    },
    async stop() {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      for (const one of composed) await one.dispose();
      await connection.close();
      await client.connection.close();
      await catalog.close();
      await db.drop();
    },
  };
}

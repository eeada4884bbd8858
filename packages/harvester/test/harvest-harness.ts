// One in-process worker running the harvester module against the shared dev
// server and a fresh PostgreSQL database, plus a loopback feed host.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerConfig, connectWorker, createJsonLogger } from '@contextworker/core-temporal';
import { composeWorker } from '@contextworker/registry';
import { migrateCatalog, openCatalog, upsertSupplier, type Catalog, type SupplierInput } from '@contextworker/catalog';
import { createTestClient, createTestDatabase, temporalAddress, uniqueSuffix, uniqueTaskQueue } from '@contextworker/test-utils';
import type { Client } from '@temporalio/client';
import { createHarvesterModule, type HarvesterModuleOptions, type HarvestInput, type HarvestResult } from '../src/index.js';
import { startFeedServer, type FeedServer } from '@contextworker/test-utils';

export interface HarvestHarness {
  tenantId: string;
  taskQueue: string;
  catalog: Catalog;
  client: Client;
  feeds: FeedServer;
  databaseUrl: string;
  addSupplier(input: SupplierInput): Promise<void>;
  harvest(input: Exclude<HarvestInput, string>): Promise<HarvestResult>;
  stop(): Promise<void>;
}

export async function startHarvestHarness(
  options: { env?: Record<string, string>; module?: HarvesterModuleOptions } = {},
): Promise<HarvestHarness> {
  const db = await createTestDatabase('harvest');
  const feeds = await startFeedServer();
  const tenantId = 'acme';
  const taskQueue = uniqueTaskQueue('harvest');
  const config = WorkerConfig.fromEnv({
    TEMPORAL_HOST: temporalAddress(),
    DATABASE_URL: db.url,
    PROJECT_DIR: mkdtempSync(join(tmpdir(), 'cw-harvest-')),
    TENANT_ID: tenantId,
    WORKER_TASK_QUEUE: taskQueue,
    WORKER_SHUTDOWN_GRACE_SECONDS: '1',
    HARVEST_ALLOW_NETWORKS: '127.0.0.1/32',
    ...options.env,
  });
  const catalog = await openCatalog({ url: db.url, embeddedDir: config.database.embeddedDir });
  await migrateCatalog(catalog);
  const logger = createJsonLogger({ level: 'WARN' });
  const connection = await connectWorker(config.temporal);
  const composed = await composeWorker({ config, modules: [createHarvesterModule(options.module)], connection, logger });
  const running = Promise.all(composed.workers.map((worker) => worker.run()));
  const client = await createTestClient();

  return {
    tenantId,
    taskQueue,
    catalog,
    client,
    feeds,
    databaseUrl: db.url,
    async addSupplier(input) {
      await upsertSupplier(catalog, tenantId, input);
    },
    harvest: (input) =>
      client.workflow.execute('HarvestWorkflow', {
        taskQueue,
        workflowId: `harvest-${input.supplierId}-${uniqueSuffix()}`,
        args: [{ enrich: false, ...input }],
      }) as Promise<HarvestResult>,
    async stop() {
      for (const worker of composed.workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await composed.dispose();
      await connection.close();
      await client.connection.close();
      await catalog.close();
      await feeds.close();
      await db.drop();
    },
  };
}

// What every case needs: a migrated product store, a loopback feed host, a task
// queue of its own, worker processes on it, and a Temporal client to start
// harvests with. Servers default to the run's shared ones; the cases that stop
// PostgreSQL or restart Temporal pass their own.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countProducts, migrateCatalog, openCatalog, upsertSupplier, type Catalog, type SupplierInput } from '@contextworker/catalog';
import type { HarvestInput, HarvestResult } from '@contextworker/harvester';
import {
  createTestClient,
  createTestDatabase,
  startFeedServer,
  temporalAddress,
  uniqueSuffix,
  uniqueTaskQueue,
  type FeedServer,
} from '@contextworker/test-utils';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { startWorker, type WorkerProcess } from './worker-process.js';

export interface HarvestSetupOptions {
  /** PostgreSQL URL; default a fresh database on the run's shared server. */
  databaseUrl?: string;
  /** Temporal frontend; default the run's shared dev server. */
  temporalAddress?: string;
  /** Default tenant of the workers and of this setup's helpers. Default `shop`. */
  tenantId?: string;
  /** Worker processes to start now. Default 1. */
  workers?: number;
  /** Extra environment for the workers. */
  workerEnv?: Record<string, string>;
}

type HarvestOptions = Omit<Exclude<HarvestInput, string>, 'supplierId'>;

export interface HarvestSetup {
  tenantId: string;
  taskQueue: string;
  databaseUrl: string;
  /** The workers' environment. */
  env: Record<string, string>;
  catalog: Catalog;
  client: Client;
  feeds: FeedServer;
  workers: WorkerProcess[];
  /** Ids of every workflow this setup started, for reading their histories. */
  workflowIds: string[];
  addSupplier(input: SupplierInput, tenantId?: string): Promise<void>;
  start(supplierId: string, options?: HarvestOptions): Promise<WorkflowHandle>;
  harvest(supplierId: string, options?: HarvestOptions): Promise<HarvestResult>;
  /** The result of a started harvest, bounded in time; fails fast once every worker process died. */
  result(handle: WorkflowHandle): Promise<HarvestResult>;
  count(supplierId: string, options?: { tenantId?: string; missing?: boolean }): Promise<number>;
  startWorker(extraEnv?: Record<string, string>): Promise<WorkerProcess>;
  stop(): Promise<void>;
}

const RESULT_TIMEOUT_MS = 5 * 60_000;

/**
 * The workflow's result, bounded in time, and failing fast with the workers' output when every
 * worker process has died (a worker must survive any feed).
 */
async function boundedResult(handle: WorkflowHandle, workers: readonly WorkerProcess[]): Promise<HarvestResult> {
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    const deadline = Date.now() + RESULT_TIMEOUT_MS;
    const check = (): void => {
      const dead = workers.length > 0 && workers.every((worker) => worker.child.exitCode !== null || worker.child.signalCode !== null);
      if (dead) reject(new Error(`every worker process exited during ${handle.workflowId}:\n${workers.map((w) => w.output().slice(-4000)).join('\n---\n')}`));
      else if (Date.now() > deadline) reject(new Error(`${handle.workflowId} did not finish within ${RESULT_TIMEOUT_MS / 1000} s`));
      else timer = setTimeout(check, 500);
    };
    check();
  });
  try {
    return (await Promise.race([handle.result(), watchdog])) as HarvestResult;
  } finally {
    clearTimeout(timer);
  }
}

export async function startHarvestSetup(options: HarvestSetupOptions = {}): Promise<HarvestSetup> {
  const tenantId = options.tenantId ?? 'shop';
  const database = options.databaseUrl ? undefined : await createTestDatabase('reliability');
  const databaseUrl = options.databaseUrl ?? database!.url;
  const address = options.temporalAddress ?? temporalAddress();
  const taskQueue = uniqueTaskQueue('reliability');
  const env: Record<string, string> = {
    TEMPORAL_HOST: address,
    DATABASE_URL: databaseUrl,
    WORKER_TASK_QUEUE: taskQueue,
    HARVEST_ALLOW_NETWORKS: '127.0.0.1/32',
    TENANT_ID: tenantId,
    PROJECT_DIR: mkdtempSync(join(tmpdir(), 'cw-reliability-')),
    WORKER_SHUTDOWN_GRACE_SECONDS: '60',
    ...options.workerEnv,
  };
  const catalog = await openCatalog({ url: databaseUrl, embeddedDir: join(env.PROJECT_DIR!, 'unused'), max: 3 });
  await migrateCatalog(catalog);
  const feeds = await startFeedServer();
  const client = await createTestClient({ address });
  const workers: WorkerProcess[] = [];
  const workflowIds: string[] = [];

  const setup: HarvestSetup = {
    tenantId,
    taskQueue,
    databaseUrl,
    env,
    catalog,
    client,
    feeds,
    workers,
    workflowIds,
    addSupplier: async (input, tenant = tenantId) => {
      await upsertSupplier(catalog, tenant, input);
    },
    start: async (supplierId, harvestOptions = {}) => {
      const workflowId = `harvest-${harvestOptions.tenantId ?? tenantId}-${supplierId}-${uniqueSuffix()}`;
      workflowIds.push(workflowId);
      return client.workflow.start('HarvestWorkflow', {
        taskQueue,
        workflowId,
        args: [{ tenantId, enrich: false, ...harvestOptions, supplierId }],
      });
    },
    harvest: async (supplierId, harvestOptions) => boundedResult(await setup.start(supplierId, harvestOptions), workers),
    result: (handle) => boundedResult(handle, workers),
    count: (supplierId, filter = {}) =>
      countProducts(catalog, { tenantId: filter.tenantId ?? tenantId, supplierId, ...(filter.missing !== undefined ? { missing: filter.missing } : {}) }),
    startWorker: async (extraEnv = {}) => {
      const worker = await startWorker({ ...env, ...extraEnv });
      workers.push(worker);
      return worker;
    },
    stop: async () => {
      await Promise.allSettled(workers.map((worker) => worker.kill()));
      await client.connection.close().catch(() => undefined);
      await feeds.close();
      await catalog.close().catch(() => undefined);
      await database?.drop();
    },
  };
  try {
    for (let i = 0; i < (options.workers ?? 1); i++) await setup.startWorker();
  } catch (error) {
    await setup.stop();
    throw error;
  }
  return setup;
}

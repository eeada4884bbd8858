// Runs one worker composed from the installed packages against a Temporal server, the way a
// deployment would: discovered modules, one workflow bundle, the catalog on DATABASE_URL. Then
// executes workflows of each module through the client and prints what they returned as JSON.
// Environment: TEMPORAL_HOST, DATABASE_URL, PROJECT_DIR, TENANT_ID, WORKER_TASK_QUEUE,
// HARVEST_ALLOW_NETWORKS (the feed host is on loopback) and SMOKE_FEED_URL (a CSV feed).
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkerConfig, connectWorker, createJsonLogger, getTemporalClient, installRuntime } from '@contextworker/core-temporal';
import { composeWorker, discoverModules } from '@contextworker/registry';
import { migrateCatalog, openCatalog, upsertSupplier } from '@contextworker/catalog';
import { ScheduleManager, defaultSchedules } from '@contextworker/schedules';

const config = WorkerConfig.fromEnv(process.env);
const { tenantId } = config;
const { taskQueue } = config.worker;
const supplierId = `smoke-${tenantId}`;
const logger = createJsonLogger({ level: 'WARN' });
installRuntime({ logger, logLevel: 'WARN' });

const catalog = await openCatalog({ url: config.database.url, embeddedDir: config.database.embeddedDir });
await migrateCatalog(catalog);
await upsertSupplier(catalog, tenantId, { id: supplierId, feedUrl: process.env.SMOKE_FEED_URL, format: 'csv' });
// Closed before the worker starts: the embedded database admits one process-wide owner.
await catalog.close();

const discovered = await discoverModules({ projectDir: config.projectDir, manifests: [join(config.projectDir, 'package.json')] });
const connection = await connectWorker(config.temporal);
const composed = await composeWorker({ config, modules: discovered.map((entry) => entry.module), connection, logger });
const running = Promise.all(composed.workers.map((worker) => worker.run()));
const client = await getTemporalClient(config.temporal);

try {
  const run = (workflowType, args) => client.workflow.execute(workflowType, { taskQueue, workflowId: `${workflowType}-${tenantId}`, args });
  const greeting = await run('SmokeWorkflow', ['packages']);
  const harvest = await run('HarvestWorkflow', [{ tenantId, supplierId }]);
  const enrichment = harvest.enrichmentWorkflowId ? await client.workflow.getHandle(harvest.enrichmentWorkflowId).result() : undefined;

  const schedules = new ScheduleManager(client);
  const wanted = defaultSchedules({ tenantId, suppliers: [{ id: supplierId }], taskQueue });
  await schedules.sync(wanted, { tenantId });
  // Listing reads the server's visibility store, which catches up with a new schedule a moment later.
  let scheduleIds = [];
  for (const deadline = Date.now() + 10_000; ; await sleep(200)) {
    scheduleIds = (await schedules.list({ tenantId, withStatus: false })).map((schedule) => schedule.scheduleId).sort();
    if (scheduleIds.length >= wanted.length || Date.now() > deadline) break;
  }
  for (const scheduleId of scheduleIds) await schedules.delete(scheduleId);

  const report = {
    modules: discovered.map((entry) => `${entry.module.name} (${entry.source})`).sort(),
    workflowCode: composed.workflowCode,
    greeting,
    harvest,
    enrichment,
    scheduleIds,
  };
  process.stdout.write(JSON.stringify(report) + '\n');
} finally {
  for (const worker of composed.workers) if (worker.getState() === 'RUNNING') worker.shutdown();
  await running;
  await composed.dispose();
  await connection.close();
  await client.connection.close();
}

import { relative } from 'node:path';
import { createJsonLogger, getTemporalClient, type WorkerConfig } from '@contextworker/core-temporal';
import { CATALOG_RESOURCE, migrateCatalog, openCatalog, upsertSupplier, type Catalog } from '@contextworker/catalog';
import { ScheduleManager } from '@contextworker/schedules';
import type { Client } from '@temporalio/client';
import { desiredSchedules } from '../desired-schedules.js';
import { loadConfig, type ConnectionFlags } from '../load-config.js';
import { runWorker, type PollingWorker } from '../run-worker.js';
import { loadDemoSuppliers, type DemoSupplier } from './demo-suppliers.js';
import { devDataDir, readDevState, writeDevState } from './dev-state.js';
import { startFeedHost, type FeedHost } from './feed-host.js';
import { formatHarvestSummary, harvestOnce } from './first-harvest.js';
import { useLocalTemporal, type LocalTemporal } from './local-temporal.js';
import { preferredPort } from './ports.js';

export interface DevFlags extends Pick<ConnectionFlags, 'projectDir' | 'taskQueue' | 'tenantId' | 'httpPort'> {
  /** Skip the first harvest (commander's `--no-harvest`). */
  harvest?: boolean;
}

/** Thrown out of the set-up when Ctrl-C arrives before the worker runs: a clean stop, not a failure. */
class Interrupted extends Error {}

const say = (line = ''): void => void process.stdout.write(`${line}\n`);

/**
 * `contextworker dev`: everything a newcomer needs on one machine, in one process. A Temporal dev
 * server with its web UI (unless TEMPORAL_HOST is set), the embedded database (unless DATABASE_URL
 * is set), the demo suppliers served on loopback, the worker with every installed module, the
 * default schedules, and one harvest of each demo supplier, printed; then it runs until Ctrl-C.
 */
export async function runDev(flags: DevFlags, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const checkpoint = (): void => {
    if (stop.signal.aborted) throw new Interrupted();
  };

  const projectDir = loadConfig({ ...(flags.projectDir ? { projectDir: flags.projectDir } : {}) }, env).projectDir;
  const dataDir = devDataDir(projectDir);
  const remembered = readDevState(projectDir);
  const suppliers = loadDemoSuppliers();

  let temporal: LocalTemporal | undefined;
  let feeds: FeedHost | undefined;
  let catalog: Catalog | undefined;
  let client: Client | undefined;
  try {
    if (!env.TEMPORAL_HOST) say('Starting the Temporal dev server…');
    temporal = await useLocalTemporal({
      host: env.TEMPORAL_HOST,
      dataDir,
      ports: { ...(remembered.temporalPort ? { temporal: remembered.temporalPort } : {}), ...(remembered.uiPort ? { ui: remembered.uiPort } : {}) },
      log: (line) => process.stderr.write(`${line}\n`),
    });
    checkpoint();
    feeds = await startFeedHost(suppliers, (await preferredPort(remembered.feedPort)) ?? 0);
    writeDevState(projectDir, {
      ...(temporal.ports ? { temporalPort: temporal.ports.temporal, uiPort: temporal.ports.ui } : {}),
      feedPort: feeds.port,
    });

    const config = loadConfig(flags, devEnvironment(env, temporal.address));
    catalog = await openCatalog({ ...(config.database.url ? { url: config.database.url } : {}), embeddedDir: config.database.embeddedDir });
    await migrateCatalog(catalog);
    for (const supplier of suppliers) await registerDemoSupplier(catalog, config.tenantId, supplier, feeds);
    checkpoint();

    client = await getTemporalClient(config.temporal);
    const resources = { [CATALOG_RESOURCE]: catalog };
    const sync = await new ScheduleManager(client).sync(await desiredSchedules(config, resources), {
      tenantId: config.tenantId,
      taskQueue: config.worker.taskQueue,
    });
    checkpoint();

    const logger = createJsonLogger({ level: config.worker.logLevel, base: { service: 'contextworker', pid: process.pid } });
    let polling: (worker: PollingWorker) => void = () => {};
    const ready = new Promise<PollingWorker>((resolve) => (polling = resolve));
    const running = runWorker({ config, logger, resources, stop: stop.signal, onPolling: (worker) => polling(worker) });
    const worker = await Promise.race([ready, running.then(() => undefined)]);
    if (!worker) return;

    printBanner({ config, temporal, catalog, feeds, suppliers, worker, projectDir, scheduleActions: sync.plan.actions.map((a) => a.kind) });
    if (flags.harvest !== false) {
      say('');
      say('First harvest of the demo suppliers:');
      for (const supplier of suppliers) {
        // A failed demo harvest is reported, not thrown: the worker is running and must be drained, not abandoned.
        const harvest = harvestOnce(client, { tenantId: config.tenantId, supplierId: supplier.id, taskQueue: config.worker.taskQueue }).catch(
          (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
        );
        const summary = await Promise.race([harvest, running.then(() => undefined)]);
        if (!summary) break;
        say(summary instanceof Error ? `  ${supplier.id.padEnd(16)}failed     ${summary.message}` : formatHarvestSummary(summary));
      }
    }
    if (!stop.signal.aborted) {
      say('');
      say('The worker keeps running: schedules fire, `contextworker harvest <supplier> --wait` works from another terminal. Ctrl-C stops.');
    }
    await running;
    say('Stopped.');
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    say('Stopped before the worker started.');
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await client?.connection.close();
    await catalog?.close();
    await feeds?.close();
    await temporal?.server?.stop();
  }
}

/**
 * The environment the dev worker runs with: the Temporal address in use, loopback allowed for the
 * demo feeds (only here; a deployment must list its private networks itself), and quieter logs so the
 * summary stays readable (LOG_LEVEL still wins).
 */
export function devEnvironment(env: NodeJS.ProcessEnv, temporalAddress: string): NodeJS.ProcessEnv {
  const allowed = (env.HARVEST_ALLOW_NETWORKS ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  if (!allowed.includes('127.0.0.1/32')) allowed.push('127.0.0.1/32');
  return { ...env, TEMPORAL_HOST: temporalAddress, HARVEST_ALLOW_NETWORKS: allowed.join(','), LOG_LEVEL: env.LOG_LEVEL ?? 'WARN' };
}

async function registerDemoSupplier(catalog: Catalog, tenantId: string, supplier: DemoSupplier, feeds: FeedHost): Promise<void> {
  await upsertSupplier(catalog, tenantId, {
    id: supplier.id,
    name: supplier.name,
    feedUrl: feeds.url(supplier),
    format: supplier.format,
    ...(supplier.options ? { options: supplier.options } : {}),
  });
}

interface BannerInput {
  config: WorkerConfig;
  temporal: LocalTemporal;
  catalog: Catalog;
  feeds: FeedHost;
  suppliers: readonly DemoSupplier[];
  worker: PollingWorker;
  projectDir: string;
  scheduleActions: string[];
}

function printBanner(input: BannerInput): void {
  const { config, temporal, catalog, feeds, suppliers, worker } = input;
  const where = (path: string) => relative(process.cwd(), path) || '.';
  const tally = (kind: string) => input.scheduleActions.filter((action) => action === kind).length;
  say('');
  say('ContextWorker is running locally');
  if (temporal.server) {
    say(`  Temporal     ${temporal.address} (dev server, state in ${where(temporal.dbFile!)})`);
    say(`  Web UI       ${temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows`);
  } else {
    say(`  Temporal     ${temporal.address} (TEMPORAL_HOST)`);
  }
  say(`  Database     ${catalog.kind === 'embedded' ? `embedded PostgreSQL in ${where(config.database.embeddedDir)}` : catalog.location}`);
  say(`  Demo feeds   ${suppliers.map((s) => feeds.url(s)).join(', ')}`);
  say(`  Worker       task queue "${worker.taskQueue}", tenant "${config.tenantId}", modules ${worker.modules.join(', ')}`);
  say(`  Schedules    ${tally('create')} created, ${tally('update')} updated, ${tally('unchanged')} unchanged`);
}

// pnpm bench: harvest and enrichment through the real worker, the Temporal dev
// server and PostgreSQL, against the SQL floor, the naive loop and a bare workflow.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import postgres from 'postgres';
import { openCatalog, upsertSupplier } from '@contextworker/catalog';
import { findTemporalCli, startPostgres, startTemporalDevServer } from '@contextworker/dev-servers';
import { imageEnv, parseArgs } from './args.js';
import { bundleBareWorkflow, measureBareWorkflow } from './bare-reference.js';
import { writeFeed, type FeedFormat, type FeedSpec } from './feeds.js';
import { startFeedServer } from './feed-server.js';
import { measureNaiveLoop } from './naive-loop.js';
import { renderMarkdown, type Report, type ScenarioResult } from './report.js';
import { enrichmentScenario, harvestScenario, runHarvest, smallHarvestsScenario, TENANT, type Bench } from './scenarios.js';
import { sizeLabel } from './sizes.js';
import { postgresCpuSeconds, processCpuSeconds } from './cpu-time.js';
import { createFloorTable, measureFloor } from './sql-floor.js';
import { startStubRouter } from './stub-router.js';
import { cli, startWorker } from './worker-process.js';

let options: ReturnType<typeof parseArgs>;
try {
  options = parseArgs(process.argv.slice(2));
} catch (error) {
  const help = process.argv.includes('--help') || process.argv.includes('-h');
  (help ? process.stdout : process.stderr).write(`${(error as Error).message}\n`);
  process.exit(help ? 0 : 2);
}
const benchStarted = performance.now();
// Seconds since the start, so a slow phase shows in the log.
const say = (line: string) => process.stderr.write(`[bench ${((performance.now() - benchStarted) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);
const ENRICHMENT = { batchSize: 50, batchesInFlight: 4, latencyMs: 50, products: options.enrichProducts };
const SMALL_FEED = 10;

const dir = mkdtempSync(join(tmpdir(), 'contextworker-bench-'));
// Each feed is written once (the SQL floor reads the same CSV as the harvest), all of them before
// anything is measured, while the bundle is built.
const written = new Map<string, Promise<string>>();
function feed(spec: FeedSpec, tag = ''): Promise<string> {
  const path = join(dir, `${spec.format}-${spec.products}${tag}.${spec.format === 'csv' ? 'csv' : 'xml'}`);
  if (!written.has(path)) written.set(path, writeFeed(path, spec).then(() => path));
  return written.get(path)!;
}

const sizedSupplier = (format: FeedFormat, products: number) => `${format}-${sizeLabel(products)}`.toLowerCase();

/** Every feed the chosen scenarios read, one after the other (each is CPU work on this process). */
async function writeAllFeeds(): Promise<void> {
  for (const products of options.sizes) {
    await feed({ format: 'csv', products });
    for (const format of options.formats) {
      await feed({ format, products });
      await feed({ format, products, changedEvery: 100 }, '-changed');
    }
  }
  if (options.enrichment) {
    await feed({ format: 'csv', products: options.enrichProducts });
    await feed({ format: 'csv', products: 1_000 }, '-warmup');
  }
  if (options.smallHarvests > 0) await feed({ format: 'csv', products: SMALL_FEED });
}

/** Registers the suppliers in the catalogue as `contextworker suppliers add` does, without a process each. */
async function addSuppliers(url: string, suppliers: readonly { id: string; format: FeedFormat; feedUrl: string }[]): Promise<void> {
  const catalog = await openCatalog({ url, embeddedDir: dir, max: 1 });
  try {
    for (const supplier of suppliers) await upsertSupplier(catalog, TENANT, supplier);
  } finally {
    await catalog.close();
  }
}

const startedAt = new Date().toISOString();
const loadAtStart = loadavg();
say(`sizes ${options.sizes.map(sizeLabel).join(', ')}, formats ${options.formats.join(', ')}; files in ${dir}`);

const feedServer = await startFeedServer();
const cliPath = await findTemporalCli({ log: say });
if (!cliPath) throw new Error('No Temporal CLI found or buildable; see tooling/dev-servers');
const bundlePath = join(dir, 'workflow-bundle.js');
const modules = ['--modules', 'harvester', 'enrichment'];
const workerArgs = [...modules, '--bundle', bundlePath];
// The bundles and the feeds need no server: they are made while the servers start, and awaited
// once they run (caught meanwhile, so that a failure is not an unhandled rejection).
say('servers; bundles and feeds meanwhile');
const preparing = Promise.all([
  cli(['bundle', ...modules, '--out', bundlePath], { PROJECT_DIR: dir, LOG_LEVEL: 'WARN' }),
  options.bareRuns > 0 ? bundleBareWorkflow() : undefined,
  writeAllFeeds(),
]);
preparing.catch(() => {});
const [temporal, pg] = await Promise.all([startTemporalDevServer({ cliPath }), startPostgres()]);
const sql = postgres(pg.url, { max: 1, onnotice: () => {} });
const connection = await Connection.connect({ address: temporal.address });
const client = new Client({ connection });
const env = {
  TEMPORAL_HOST: temporal.address,
  DATABASE_URL: pg.url,
  PROJECT_DIR: dir,
  HARVEST_ALLOW_NETWORKS: '127.0.0.1/32',
  LOG_LEVEL: 'WARN',
};
const scenarios: ScenarioResult[] = [];
const stopping: (() => Promise<unknown>)[] = [];

try {
  // Every supplier the run harvests, registered up front; each scenario then says which file its
  // supplier's URL serves.
  const suppliers: { id: string; format: FeedFormat }[] = [];
  if (options.enrichment) for (const id of ['warmup-builtin', 'enrich-builtin', 'warmup-router', 'enrich-router']) suppliers.push({ id, format: 'csv' });
  for (const products of options.sizes) for (const format of options.formats) suppliers.push({ id: sizedSupplier(format, products), format });
  if (options.smallHarvests > 0) suppliers.push({ id: 'small', format: 'csv' });
  say(`migrate, ${suppliers.length} suppliers`);
  await cli(['migrate'], env);
  await addSuppliers(pg.url, suppliers.map(({ id, format }) => ({ id, format, feedUrl: feedServer.urlFor(id) })));
  const [, bareBundle] = await preparing;
  const harvestFrom = (id: string, path: string) => feedServer.serve(id, path);

  // Every worker the run uses, started together before anything is measured (a start is about 2 s of
  // CPU): one per enrichment classifier (the router is read at start) and a fresh one per size, whose
  // peak RSS then belongs to that size's harvests. Each polls a task queue of its own and idles until
  // its turn.
  const router = options.enrichment ? await startStubRouter(ENRICHMENT.latencyMs) : undefined;
  if (router) stopping.push(() => router.close());
  const roles: Record<string, string>[] = [...(router ? [{}, { ROUTER_URL: router.url }] : []), ...options.sizes.map(() => ({}))];
  say(`${roles.length} workers`);
  const workersStarted = performance.now();
  const workers = await Promise.all(
    roles.map(async (role, i) => {
      const taskQueue = `bench-${i + 1}`;
      const worker = await startWorker(workerArgs, { ...imageEnv(), ...env, WORKER_TASK_QUEUE: taskQueue, ...role }, options.workerNodeOptions, options.workerStdout);
      stopping.push(() => worker.stop());
      return { worker, taskQueue };
    }),
  );
  say(`workers ready in ${((performance.now() - workersStarted) / 1000).toFixed(1)} s`);
  const cpuWhenReady = workers.map(({ worker }) => processCpuSeconds(worker.pid));
  const workerIdleRssMB = (workers[0]!.worker.rssMiB() * 1024 * 1024) / 1e6;

  // References on the same PostgreSQL, while the workers idle.
  say(`naive loop, ${options.naiveSample} products`);
  const naive = await measureNaiveLoop(sql, options.naiveSample);
  await createFloorTable(sql);
  const floor = [];
  for (const products of options.sizes) {
    const csv = await feed({ format: 'csv', products });
    say(`SQL floor, ${sizeLabel(products)}`);
    floor.push(await measureFloor(sql, csv, products, () => postgresCpuSeconds(pg.dataDir)));
  }
  await sql.unsafe('drop table bench_floor_products');

  // One worker at a time, in the order of `roles`; each switch stops the one before.
  let bench!: Bench;
  let next = 0;
  const useNextWorker = async () => {
    await bench?.worker.stop(); // none yet on the first call
    const { worker, taskQueue } = workers[next]!;
    // What waiting cost: an idle worker that used CPU would have slowed the scenarios before its turn.
    say(`worker ${taskQueue} takes over, ${(processCpuSeconds(worker.pid) - cpuWhenReady[next]!).toFixed(2)} s of CPU while it waited`);
    next++;
    bench = { client, taskQueue, worker, postgresDataDir: pg.dataDir };
  };

  // Enrichment first, while the catalogue holds only its own products: the claim query then reads
  // the run's products and not a backlog of other runs' pending ones.
  if (options.enrichment) {
    const enrichFeed = await feed({ format: 'csv', products: options.enrichProducts });
    const input = { batchSize: ENRICHMENT.batchSize, maxBatchesInFlight: ENRICHMENT.batchesInFlight };
    // Each enrichment scenario runs on a warm worker: 1,000 products are enriched first, not measured,
    // so the figure is steady-state throughput rather than the first second of a fresh process.
    const warmupFeed = await feed({ format: 'csv', products: 1_000 }, '-warmup');
    const warmUp = async (supplierId: string) => {
      harvestFrom(supplierId, warmupFeed);
      const run = (await runHarvest(bench, supplierId)).result.harvestRunId;
      await enrichmentScenario(bench, 'enrichment, built-in classifier', run, 1_000, input);
    };
    await useNextWorker();
    await warmUp('warmup-builtin');
    harvestFrom('enrich-builtin', enrichFeed);
    const builtinRun = (await runHarvest(bench, 'enrich-builtin')).result.harvestRunId;
    say('enrichment, built-in classifier');
    scenarios.push(await enrichmentScenario(bench, 'enrichment, built-in classifier', builtinRun, options.enrichProducts, input));

    await useNextWorker(); // the stub router's
    await warmUp('warmup-router');
    harvestFrom('enrich-router', enrichFeed);
    const routerRun = (await runHarvest(bench, 'enrich-router')).result.harvestRunId;
    say('enrichment, 50 ms stub router');
    scenarios.push(await enrichmentScenario(bench, 'enrichment, 50 ms stub router', routerRun, options.enrichProducts, input));
    say(`stub router answered ${router!.requests()} requests`);
  }

  for (const products of options.sizes) {
    await useNextWorker();
    for (const format of options.formats) {
      const supplierId = sizedSupplier(format, products);
      harvestFrom(supplierId, await feed({ format, products }));
      say(`${supplierId}: full harvest`);
      scenarios.push(await harvestScenario(bench, 'full harvest', format, supplierId, products, { status: 'completed', created: products }));
      say(`${supplierId}: identical re-harvest`);
      scenarios.push(await harvestScenario(bench, 'identical re-harvest', format, supplierId, products, { status: 'unchanged' }));
      const changed = Math.floor(products / 100);
      feedServer.serve(supplierId, await feed({ format, products, changedEvery: 100 }, '-changed'));
      say(`${supplierId}: 1% changed re-harvest`);
      scenarios.push(await harvestScenario(bench, '1% changed re-harvest', format, supplierId, products, { status: 'completed', updated: changed, unchanged: products - changed }));
    }
  }

  if (options.smallHarvests > 0) {
    harvestFrom('small', await feed({ format: 'csv', products: SMALL_FEED }));
    say(`${options.smallHarvests} small harvests of ${SMALL_FEED} products`);
    scenarios.push(await smallHarvestsScenario(bench, 'small', SMALL_FEED, options.smallHarvests));
  }
  if (options.bareRuns > 0) say(`bare workflow, ${options.bareRuns} runs`);
  const bare = bareBundle ? await measureBareWorkflow(client, temporal.address, options.bareRuns, bareBundle) : undefined;

  await bench.worker.stop();

  const [{ version }] = (await sql`select version()`) as unknown as [{ version: string }];
  const cpu = cpus();
  const report: Report = {
    startedAt,
    finishedAt: new Date().toISOString(),
    command: `pnpm bench ${process.argv.slice(2).join(' ')}`.trim(),
    machine: {
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? 'unknown',
      memoryGB: totalmem() / 1e9,
      node: process.version,
      postgres: version.split(' on ')[0]!,
      os: `Linux ${release()}`,
    },
    loadAverage: { start: loadAtStart, end: loadavg() },
    workerIdleRssMB,
    floor,
    naive,
    ...(bare ? { bare } : {}),
    enrichment: ENRICHMENT,
    scenarios,
  };
  const markdown = renderMarkdown(report);
  const outDir = options.outDir ?? fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  for (const name of [stamp, 'latest']) {
    writeFileSync(join(outDir, `${name}.json`), JSON.stringify(report, null, 2) + '\n');
    writeFileSync(join(outDir, `${name}.md`), markdown);
  }
  process.stdout.write(markdown);
  say(`written to ${join(outDir, `${stamp}.md`)} and .json`);
} finally {
  // Workers and the stub router first (they hold connections to the servers), then the servers.
  await Promise.all(stopping.map((stop) => stop().catch(() => {})));
  await Promise.all([sql.end().catch(() => {}), connection.close().catch(() => {})]);
  await Promise.all([temporal.stop(), pg.stop(), feedServer.close()]);
  rmSync(dir, { recursive: true, force: true });
  say('servers stopped');
}

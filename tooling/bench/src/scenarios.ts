// The measured runs: each one starts workflows through the Temporal client,
// times start to result, and reads back what the histories say.
import { loadavg } from 'node:os';
import type { Client } from '@temporalio/client';
import { countCpu } from './cpu-time.js';
import { emptyFacts, historyFacts, mergeFacts, type HistoryFacts } from './histories.js';
import type { ScenarioResult } from './report.js';
import type { WorkerProcess } from './worker-process.js';

export const TENANT = 'default';

interface HarvestOutcome {
  status: string;
  harvestRunId: string;
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
}

export interface Bench {
  client: Client;
  taskQueue: string;
  worker: WorkerProcess;
  /** The PostgreSQL server's data directory, to count its CPU time. */
  postgresDataDir: string;
}

export async function runHarvest(bench: Bench, supplierId: string, force = false): Promise<{ result: HarvestOutcome; workflowId: string }> {
  const workflowId = `bench-harvest-${supplierId}-${Date.now()}`;
  const result = (await bench.client.workflow.execute('HarvestWorkflow', {
    taskQueue: bench.taskQueue,
    workflowId,
    args: [{ tenantId: TENANT, supplierId, enrich: false, force }],
  })) as HarvestOutcome;
  return { result, workflowId };
}

const mb = (mib: number): number => (mib * 1024 * 1024) / 1e6;

/** The columns every scenario fills from the worker and the histories. */
function measured(worker: WorkerProcess, facts: HistoryFacts) {
  return {
    peakRssMB: mb(worker.peakRssMiB()),
    largestPayloadBytes: facts.largestPayloadBytes,
    largestPayloadAt: facts.largestPayloadAt,
    activitySeconds: facts.activitySeconds,
  };
}

/** One harvest, measured; `expected` says what the result must be. */
export async function harvestScenario(
  bench: Bench,
  scenario: ScenarioResult['scenario'],
  format: 'csv' | 'yml',
  supplierId: string,
  products: number,
  expected: Partial<HarvestOutcome>,
): Promise<ScenarioResult & { harvestRunId: string }> {
  const load = loadavg()[0]!;
  bench.worker.resetPeak();
  const heap = { heap: 0, external: 0 };
  const sampling = setInterval(() => {
    bench.worker.heapMB().then(
      (now) => ((heap.heap = Math.max(heap.heap, now.heap)), (heap.external = Math.max(heap.external, now.external))),
      () => {},
    );
  }, 250);
  const cpu = countCpu(bench.worker.pid, bench.postgresDataDir);
  const started = performance.now();
  const { result, workflowId } = await runHarvest(bench, supplierId).finally(() => clearInterval(sampling));
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpu();
  const worker = measured(bench.worker, await historyFacts(bench.client, workflowId));
  const countsExact = Object.entries(expected).every(([key, value]) => result[key as keyof HarvestOutcome] === value);
  return {
    scenario,
    format,
    products,
    seconds,
    cpuSeconds,
    ...worker,
    outcome: `${result.status}: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged`,
    countsExact,
    loadAverage: load,
    peakHeapMB: heap.heap,
    peakExternalMB: heap.external,
    harvestRunId: result.harvestRunId,
  };
}

/** Enrichment of one harvest run's products (all pending), measured. */
export async function enrichmentScenario(
  bench: Bench,
  scenario: 'enrichment, built-in classifier' | 'enrichment, 50 ms stub router',
  harvestRunId: string,
  products: number,
  input: { batchSize: number; maxBatchesInFlight: number },
): Promise<ScenarioResult> {
  const load = loadavg()[0]!;
  bench.worker.resetPeak();
  const workflowId = `bench-enrichment-${Date.now()}`;
  const cpu = countCpu(bench.worker.pid, bench.postgresDataDir);
  const started = performance.now();
  const handle = await bench.client.workflow.start('EnrichmentWorkflow', {
    taskQueue: bench.taskQueue,
    workflowId,
    args: [{ tenantId: TENANT, harvestRunId, ...input }],
  });
  const result = (await handle.result()) as { processed: number; failed: number };
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpu();
  return {
    scenario,
    products,
    seconds,
    cpuSeconds,
    ...measured(bench.worker, await historyFacts(bench.client, workflowId, handle.firstExecutionRunId)),
    outcome: `${result.processed} done, ${result.failed} failed`,
    countsExact: result.processed === products && result.failed === 0,
    loadAverage: load,
  };
}

/** Small harvests back to back (forced, so each one downloads, parses and stores). */
export async function smallHarvestsScenario(bench: Bench, supplierId: string, products: number, runs: number): Promise<ScenarioResult> {
  const load = loadavg()[0]!;
  await runHarvest(bench, supplierId, true); // warm-up, not counted
  bench.worker.resetPeak();
  const ids: string[] = [];
  let exact = true;
  const cpu = countCpu(bench.worker.pid, bench.postgresDataDir);
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const { result, workflowId } = await runHarvest(bench, supplierId, true);
    ids.push(workflowId);
    exact &&= result.status === 'completed' && result.unchanged === products;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = cpu();
  const facts = emptyFacts();
  for (const id of ids) mergeFacts(facts, await historyFacts(bench.client, id));
  return {
    scenario: 'small harvests',
    format: 'csv',
    products,
    runs,
    seconds,
    cpuSeconds,
    ...measured(bench.worker, facts),
    activitySeconds: Object.fromEntries(Object.entries(facts.activitySeconds).map(([name, value]) => [name, value / runs])),
    localActivities: Math.round(facts.localActivities / runs),
    outcome: `${runs} x completed, ${(seconds * 1000 / runs).toFixed(0)} ms each`,
    countsExact: exact,
    loadAverage: load,
  };
}

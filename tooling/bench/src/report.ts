// The run's figures as JSON and Markdown: a row per scenario, the references,
// and every target of the benchmark issue with met / not met.
import type { BareTiming } from './bare-reference.js';
import type { CpuSeconds } from './cpu-time.js';
import type { FloorTiming } from './sql-floor.js';
import type { NaiveTiming } from './naive-loop.js';
import { sizeLabel } from './sizes.js';

export interface ScenarioResult {
  scenario: 'full harvest' | 'identical re-harvest' | '1% changed re-harvest' | 'enrichment, built-in classifier' | 'enrichment, 50 ms stub router' | 'small harvests';
  format?: 'csv' | 'yml';
  products: number;
  /** Wall time: workflow start to result, from the client. For small harvests, all of them. */
  seconds: number;
  /** CPU time over the same span: the worker process (all threads) and the PostgreSQL server (all backends). */
  cpuSeconds?: CpuSeconds;
  runs?: number;
  peakRssMB: number;
  /** Harvests: the largest V8 heap and external memory seen while it ran (sampled every 250 ms from /metrics). */
  peakHeapMB?: number;
  peakExternalMB?: number;
  largestPayloadBytes: number;
  largestPayloadAt: string;
  /** Seconds per activity type, from the workflow histories. */
  activitySeconds: Record<string, number>;
  /** Small harvests: local activities per harvest, from the same histories. */
  localActivities?: number;
  /** What the workflow returned, checked against what the feed holds. */
  outcome: string;
  countsExact: boolean;
  loadAverage: number;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGB: number;
  node: string;
  postgres: string;
  os: string;
}

export interface Report {
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: Machine;
  loadAverage: { start: number[]; end: number[] };
  /** The worker's resident memory once ready, before any scenario (MB). */
  workerIdleRssMB: number;
  floor: FloorTiming[];
  naive: NaiveTiming;
  bare?: BareTiming;
  enrichment: { batchSize: number; batchesInFlight: number; latencyMs: number; products: number };
  scenarios: ScenarioResult[];
}

export interface Target {
  target: string;
  measured: string;
  met: boolean | undefined;
}

export const ratio = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? '—' : `${value.toFixed(2)}x`);
export const seconds = (value: number): string => (value < 10 ? `${value.toFixed(2)} s` : `${value.toFixed(1)} s`);
export const count = (value: number): string => Math.round(value).toLocaleString('en');
export const bytes = (value: number): string => (value >= 1024 * 1024 ? `${(value / 1024 / 1024).toFixed(1)} MiB` : value >= 1024 ? `${(value / 1024).toFixed(1)} KiB` : `${value} B`);

export function floorFor(report: Pick<Report, 'floor'>, products: number): FloorTiming | undefined {
  return report.floor.find((floor) => floor.products === products);
}

/** Wall time over the SQL floor's for the same number of products. */
export function floorRatio(report: Pick<Report, 'floor'>, row: ScenarioResult): number | undefined {
  if (!row.scenario.includes('harvest') || row.scenario === 'small harvests') return undefined;
  const floor = floorFor(report, row.products);
  return floor ? row.seconds / floor.seconds : undefined;
}

/** Wall time over the naive loop's extrapolated time for as many products (below 1: faster). */
export function naiveRatio(report: Pick<Report, 'naive'>, row: ScenarioResult): number | undefined {
  if (!row.scenario.includes('harvest') || row.scenario === 'small harvests') return undefined;
  const products = row.products * (row.runs ?? 1);
  return row.seconds / (products / report.naive.productsPerSecond);
}

export function theoreticalEnrichmentSeconds(enrichment: Report['enrichment']): number {
  return (Math.ceil(enrichment.products / enrichment.batchSize) * enrichment.latencyMs) / 1000 / enrichment.batchesInFlight;
}

function find(report: Report, scenario: ScenarioResult['scenario'], format?: 'csv' | 'yml', products?: number): ScenarioResult | undefined {
  return report.scenarios
    .filter((row) => row.scenario === scenario && (format === undefined || row.format === format) && (products === undefined || row.products === products))
    .sort((a, b) => b.products - a.products)[0];
}

/** The harvest with the highest peak RSS among those of `products` products (any format, any scenario). */
function peakOfHarvests(report: Report, products: number | undefined): ScenarioResult | undefined {
  return report.scenarios
    .filter((row) => row.format !== undefined && row.scenario !== 'small harvests' && row.products === products)
    .sort((a, b) => b.peakRssMB - a.peakRssMB)[0];
}

const describePeak = (row: ScenarioResult): string => `${row.peakRssMB.toFixed(0)} MB (${row.scenario}, ${row.format!.toUpperCase()})`;

const at = (row: ScenarioResult): string => (row.products === 1_000_000 ? '' : ` (measured at ${sizeLabel(row.products)}, not 1M)`);

/** The size the harvest targets are judged at: 1M when the run has it, else its largest harvest. */
function targetSize(report: Report): number | undefined {
  const sizes = report.scenarios.filter((row) => row.scenario === 'full harvest').map((row) => row.products);
  return sizes.includes(1_000_000) ? 1_000_000 : sizes.length > 0 ? Math.max(...sizes) : undefined;
}

export function targets(report: Report): Target[] {
  const out: Target[] = [];
  const add = (target: string, measured: string | undefined, met: boolean | undefined) => out.push({ target, measured: measured ?? 'not measured', met: measured ? met : undefined });
  const size = targetSize(report);
  for (const [format, limit] of [['csv', 1.5], ['yml', 2]] as const) {
    const row = find(report, 'full harvest', format, size);
    const value = row && floorRatio(report, row);
    add(`1M ${format.toUpperCase()} full harvest <= ${limit}x the SQL floor`, row && value !== undefined ? `${ratio(value)}${at(row)}` : undefined, value !== undefined && value <= limit);
  }
  // Memory over every harvest of that size, whatever its format or scenario.
  const largest = peakOfHarvests(report, size);
  add('Worker peak RSS <= 300 MB at 1M (prebuilt bundle)', largest && `${describePeak(largest)}${at(largest)}`, largest !== undefined && largest.peakRssMB <= 300);
  const at100k = peakOfHarvests(report, 100_000);
  const grows = largest && at100k && largest.products !== at100k.products ? largest.peakRssMB / at100k.peakRssMB : undefined;
  add(
    'Peak RSS not growing from 100k to 1M (taken as: at most 10% more)',
    grows !== undefined && largest && at100k ? `${at100k.peakRssMB.toFixed(0)} MB -> ${largest.peakRssMB.toFixed(0)} MB (${ratio(grows)})${at(largest)}` : undefined,
    grows !== undefined && grows <= 1.1,
  );
  for (const format of ['csv', 'yml'] as const) {
    const identical = find(report, 'identical re-harvest', format, size);
    add(`Identical re-harvest of 1M < 2 s end to end (${format.toUpperCase()})`, identical && `${seconds(identical.seconds)}${at(identical)}`, identical !== undefined && identical.seconds < 2);
  }
  for (const format of ['csv', 'yml'] as const) {
    const changed = find(report, '1% changed re-harvest', format, size);
    const full = changed && find(report, 'full harvest', format, changed.products);
    const value = changed && full ? changed.seconds / full.seconds : undefined;
    add(`Re-harvest with 1% changed <= 0.6x the full harvest (${format.toUpperCase()})`, value !== undefined && changed ? `${ratio(value)}${at(changed)}` : undefined, value !== undefined && value <= 0.6);
  }
  const stub = find(report, 'enrichment, 50 ms stub router');
  const theoretical = theoreticalEnrichmentSeconds(report.enrichment);
  add(
    'Enrichment with the 50 ms stub within 1.3x of the theoretical time',
    stub && `${seconds(stub.seconds)} / ${seconds(theoretical)} = ${ratio(stub.seconds / theoretical)}`,
    stub !== undefined && stub.seconds / theoretical <= 1.3,
  );
  const small = find(report, 'small harvests');
  const perHarvest = small && small.runs ? (small.seconds * 1000) / small.runs : undefined;
  add(
    'Orchestration overhead of a small harvest <= 3x a bare workflow with one activity',
    perHarvest !== undefined && report.bare ? `${perHarvest.toFixed(0)} ms / ${report.bare.meanMs.toFixed(0)} ms = ${ratio(perHarvest / report.bare.meanMs)}` : undefined,
    perHarvest !== undefined && report.bare !== undefined && perHarvest / report.bare.meanMs <= 3,
  );
  return out;
}

const table = (head: string[], rows: string[][]): string =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');

function phases(row: ScenarioResult): string {
  if (row.scenario === 'small harvests') {
    const each = Object.values(row.activitySeconds);
    const local = row.localActivities !== undefined ? ` and ${row.localActivities} local` : '';
    return `${each.length} task-queue activities${local} per harvest, ${(each.reduce((a, b) => a + b, 0) * 1000).toFixed(0)} ms scheduled-to-closed in all`;
  }
  const short: Record<string, string> = { downloadFeed: 'download', parseAndStoreProducts: 'parse+store', markMissingProducts: 'mark', classifyProducts: 'classify' };
  return Object.entries(row.activitySeconds)
    .filter(([name, value]) => short[name] && value >= 0.05)
    .map(([name, value]) => `${short[name]} ${value.toFixed(1)}`)
    .join(', ');
}

export function renderMarkdown(report: Report): string {
  const m = report.machine;
  const lines: string[] = [];
  lines.push(`Run ${report.startedAt} to ${report.finishedAt}: \`${report.command}\``);
  lines.push('');
  lines.push(
    `Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGB.toFixed(0)} GB RAM, Node ${m.node}, ${m.postgres}, ${m.os}. ` +
      `Load average (1, 5, 15 min) at start ${report.loadAverage.start.map((v) => v.toFixed(2)).join(', ')}, at end ${report.loadAverage.end.map((v) => v.toFixed(2)).join(', ')}.`,
  );
  lines.push('');
  lines.push(`The worker's resident memory once ready, before any scenario: ${report.workerIdleRssMB.toFixed(0)} MB. Peak RSS below is per scenario (reset before each; a fresh worker for each size's harvests).`);
  lines.push('');
  lines.push('### Scenarios');
  lines.push('');
  lines.push(
    table(
      ['scenario', 'format', 'products', 'wall time', 'products/s', 'x SQL floor', 'x naive loop', 'CPU s: worker / PostgreSQL', 'worker peak RSS', 'largest payload', 'activity seconds', 'result', 'load'],
      report.scenarios.map((row) => [
        row.scenario + (row.runs ? ` (${count(row.runs)} runs)` : ''),
        row.format?.toUpperCase() ?? '—',
        count(row.products * (row.runs ?? 1)),
        seconds(row.seconds),
        count((row.products * (row.runs ?? 1)) / row.seconds),
        ratio(floorRatio(report, row)),
        ratio(naiveRatio(report, row)),
        row.cpuSeconds ? `${row.cpuSeconds.worker.toFixed(1)} / ${row.cpuSeconds.postgres.toFixed(1)}` : '—',
        `${row.peakRssMB.toFixed(0)} MB` + (row.peakHeapMB ? ` (heap ${row.peakHeapMB.toFixed(0)})` : ''),
        `${bytes(row.largestPayloadBytes)} (${row.largestPayloadAt})`,
        phases(row) || '—',
        `${row.outcome}${row.countsExact ? '' : ' (COUNTS WRONG)'}`,
        row.loadAverage.toFixed(2),
      ]),
    ),
  );
  lines.push('');
  lines.push('### References (same run, same PostgreSQL)');
  lines.push('');
  const rows = report.floor.map((floor) => [
    `SQL floor, ${sizeLabel(floor.products)}`,
    `COPY ${seconds(floor.copySeconds)} + INSERT … ON CONFLICT ${seconds(floor.mergeSeconds)} = ${seconds(floor.seconds)}` +
      (floor.postgresCpuSeconds !== undefined ? ` (PostgreSQL CPU ${seconds(floor.postgresCpuSeconds)})` : ''),
    `${count(floor.products / floor.seconds)} products/s`,
  ]);
  rows.push([`naive loop, ${count(report.naive.sample)} sample`, seconds(report.naive.seconds), `${count(report.naive.productsPerSecond)} products/s (extrapolated linearly)`]);
  if (report.bare) rows.push([`bare workflow + one no-op activity, ${report.bare.runs} runs`, seconds(report.bare.seconds), `${report.bare.meanMs.toFixed(1)} ms each`]);
  const e = report.enrichment;
  rows.push([
    'theoretical enrichment',
    seconds(theoreticalEnrichmentSeconds(e)),
    `${Math.ceil(e.products / e.batchSize)} batches x ${e.latencyMs} ms / ${e.batchesInFlight} in flight`,
  ]);
  lines.push(table(['reference', 'time', 'rate'], rows));
  lines.push('');
  lines.push('### Targets');
  lines.push('');
  lines.push(table(['target', 'measured', ''], targets(report).map((t) => [t.target, t.measured, t.met === undefined ? '—' : t.met ? 'met' : 'not met'])));
  lines.push('');
  return lines.join('\n');
}

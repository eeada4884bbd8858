import { describe, expect, it } from 'vitest';
import { floorRatio, naiveRatio, ratio, targets, theoreticalEnrichmentSeconds, type Report, type ScenarioResult } from './report.js';
import { payloadBytes, payloadsIn } from './histories.js';

const row = (scenario: ScenarioResult['scenario'], products: number, seconds: number, extra: Partial<ScenarioResult> = {}): ScenarioResult => ({
  scenario,
  format: 'csv',
  products,
  seconds,
  peakRssMB: 250,
  largestPayloadBytes: 300,
  largestPayloadAt: 'x',
  activitySeconds: {},
  outcome: '',
  countsExact: true,
  loadAverage: 1,
  ...extra,
});

const report = (scenarios: ScenarioResult[]): Report => ({
  startedAt: '',
  finishedAt: '',
  command: 'pnpm bench',
  machine: { cpus: 2, cpuModel: '', memoryGB: 1, node: 'v20', postgres: 'PostgreSQL 15', os: '' },
  loadAverage: { start: [0, 0, 0], end: [0, 0, 0] },
  workerIdleRssMB: 200,
  floor: [{ products: 1_000_000, copySeconds: 4, mergeSeconds: 16, seconds: 20 }],
  naive: { sample: 20_000, seconds: 10, productsPerSecond: 2_000 },
  bare: { runs: 10, seconds: 1, meanMs: 100 },
  enrichment: { batchSize: 50, batchesInFlight: 4, latencyMs: 50, products: 10_000 },
  scenarios,
});

describe('report', () => {
  it('formats ratios and leaves unknown ones blank', () => {
    expect(ratio(1.234)).toBe('1.23x');
    expect(ratio(undefined)).toBe('—');
    expect(ratio(Number.NaN)).toBe('—');
  });

  it('compares a harvest with the floor of the same size and the extrapolated naive loop', () => {
    const r = report([]);
    const full = row('full harvest', 1_000_000, 30);
    expect(floorRatio(r, full)).toBe(1.5);
    expect(naiveRatio(r, full)).toBe(30 / 500);
    expect(floorRatio(r, row('full harvest', 10, 1))).toBeUndefined();
  });

  it('computes the theoretical enrichment time as batches x latency / in flight', () => {
    expect(theoreticalEnrichmentSeconds({ batchSize: 50, batchesInFlight: 4, latencyMs: 50, products: 10_000 })).toBe(2.5);
  });

  it('says met or not met for each target, and not measured where nothing ran', () => {
    const r = report([row('full harvest', 1_000_000, 30), row('full harvest', 1_000_000, 50, { format: 'yml' }), row('small harvests', 10, 40, { runs: 100 })]);
    const byName = Object.fromEntries(targets(r).map((t) => [t.target, t]));
    expect(byName['1M CSV full harvest <= 1.5x the SQL floor']).toEqual({ target: '1M CSV full harvest <= 1.5x the SQL floor', measured: '1.50x', met: true });
    expect(byName['1M YML full harvest <= 2x the SQL floor']?.met).toBe(false);
    expect(byName['Orchestration overhead of a small harvest <= 3x a bare workflow with one activity']?.measured).toBe('400 ms / 100 ms = 4.00x');
    expect(byName['Identical re-harvest of 1M < 2 s end to end (CSV)']).toMatchObject({ measured: 'not measured', met: undefined });
  });

  it('holds every format and scenario of a size to the memory and identical re-harvest targets', () => {
    const r = report([
      row('full harvest', 100_000, 3, { peakRssMB: 250 }),
      row('identical re-harvest', 100_000, 0.2, { peakRssMB: 262, format: 'yml' }),
      row('full harvest', 1_000_000, 30, { peakRssMB: 270 }),
      row('identical re-harvest', 1_000_000, 1.2, { peakRssMB: 260 }),
      row('1% changed re-harvest', 1_000_000, 20, { peakRssMB: 305, format: 'yml' }),
      row('identical re-harvest', 1_000_000, 2.4, { peakRssMB: 280, format: 'yml' }),
    ]);
    const byName = Object.fromEntries(targets(r).map((t) => [t.target, t]));
    expect(byName['Worker peak RSS <= 300 MB at 1M (prebuilt bundle)']).toMatchObject({ measured: '305 MB (1% changed re-harvest, YML)', met: false });
    expect(byName['Peak RSS not growing from 100k to 1M (taken as: at most 10% more)']).toMatchObject({ measured: '262 MB -> 305 MB (1.16x)', met: false });
    expect(byName['Identical re-harvest of 1M < 2 s end to end (CSV)']).toMatchObject({ measured: '1.20 s', met: true });
    expect(byName['Identical re-harvest of 1M < 2 s end to end (YML)']).toMatchObject({ measured: '2.40 s', met: false });
  });

  it('judges the 1M targets at 1M when the run also has a larger size', () => {
    const r = report([
      row('full harvest', 100_000, 3, { peakRssMB: 240 }),
      row('full harvest', 1_000_000, 30, { peakRssMB: 260 }),
      row('identical re-harvest', 1_000_000, 1.5),
      row('1% changed re-harvest', 1_000_000, 12),
      row('full harvest', 2_000_000, 80, { peakRssMB: 320 }),
      row('identical re-harvest', 2_000_000, 3.2),
      row('1% changed re-harvest', 2_000_000, 60),
    ]);
    const byName = Object.fromEntries(targets(r).map((t) => [t.target, t]));
    expect(byName['1M CSV full harvest <= 1.5x the SQL floor']).toMatchObject({ measured: '1.50x', met: true });
    expect(byName['Worker peak RSS <= 300 MB at 1M (prebuilt bundle)']).toMatchObject({ measured: '260 MB (full harvest, CSV)', met: true });
    expect(byName['Peak RSS not growing from 100k to 1M (taken as: at most 10% more)']).toMatchObject({ measured: '240 MB -> 260 MB (1.08x)', met: true });
    expect(byName['Identical re-harvest of 1M < 2 s end to end (CSV)']).toMatchObject({ measured: '1.50 s', met: true });
    expect(byName['Re-harvest with 1% changed <= 0.6x the full harvest (CSV)']).toMatchObject({ measured: '0.40x', met: true });
  });

  it('judges them at the largest size, and says so, when the run has no 1M', () => {
    const r = report([row('full harvest', 100_000, 3, { peakRssMB: 240 }), row('identical re-harvest', 2_000_000, 3.2), row('full harvest', 2_000_000, 80, { peakRssMB: 320 })]);
    const byName = Object.fromEntries(targets(r).map((t) => [t.target, t]));
    expect(byName['Worker peak RSS <= 300 MB at 1M (prebuilt bundle)']).toMatchObject({ measured: '320 MB (full harvest, CSV) (measured at 2M, not 1M)', met: false });
    expect(byName['Identical re-harvest of 1M < 2 s end to end (CSV)']).toMatchObject({ measured: '3.20 s (measured at 2M, not 1M)', met: false });
  });

  it('finds payloads anywhere in a decoded history event and sizes them with their metadata', () => {
    const payload = { metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new Uint8Array(40) };
    const event = { activityTaskScheduledEventAttributes: { input: { payloads: [payload, { metadata: {}, data: new Uint8Array(3) }] } } };
    expect([...payloadsIn(event)].map(payloadBytes)).toEqual([40 + 8 + 10, 3]);
  });
});

// Hostile and broken feeds (corpus/manifest.json): each gives a clear error or a
// row-level report, the worker stays up, and nothing already stored is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusSupplierId, readCorpusFile, readCorpusManifest, type CorpusEntry } from '../src/corpus.js';
import { csvFeed } from '../src/feeds.js';
import { rootFailure } from '../src/failures.js';
import { startHarvestSetup, type HarvestSetup } from '../src/harvest-setup.js';

const BASELINE = 100;
let h: HarvestSetup;

beforeAll(async () => {
  h = await startHarvestSetup();
  // Products of another supplier that no corpus file may disturb.
  h.feeds.set('/baseline.csv', { body: csvFeed(BASELINE, { prefix: 'keep' }) });
  await h.addSupplier({ id: 'baseline', feedUrl: h.feeds.url('/baseline.csv'), format: 'csv' });
  expect(await h.harvest('baseline')).toMatchObject({ status: 'completed', created: BASELINE });
});
afterAll(async () => {
  await h?.stop();
});

async function expectNothingElseDisturbed(): Promise<void> {
  expect(await h.count('baseline')).toBe(BASELINE);
  expect(await h.count('baseline', { missing: true })).toBe(0);
  for (const worker of h.workers) expect(worker.child.exitCode, worker.output().slice(-2000)).toBeNull();
}

async function runErrors(harvestRunId: string): Promise<{ externalId?: string; line?: number; reason: string }[]> {
  const [run] = await h.catalog.query<{ errors: { externalId?: string; line?: number; reason: string }[] }>(
    'select errors from harvest_runs where tenant_id = $1 and id = $2',
    [h.tenantId, harvestRunId],
  );
  return run?.errors ?? [];
}

async function checkEntry(entry: CorpusEntry): Promise<void> {
  const id = corpusSupplierId(entry.file);
  const path = `/corpus/${entry.file}`;
  const expected = entry.expect;
  // The supplier already has products: a broken feed must leave them as they are.
  h.feeds.set(`/${id}-good.csv`, { body: csvFeed(10, { prefix: id }) });
  await h.addSupplier({ id, feedUrl: h.feeds.url(`/${id}-good.csv`), format: 'csv' });
  expect(await h.harvest(id)).toMatchObject({ status: 'completed', created: 10 });
  h.feeds.set(path, { body: readCorpusFile(entry.file) });
  await h.addSupplier({ id, feedUrl: h.feeds.url(path), ...entry.supplier });

  if (expected.outcome === 'failed') {
    const failure = await rootFailure(h.harvest(id));
    expect(failure.type, failure.chain).toBe(expected.type);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain(expected.message);
    expect(failure.chain).not.toContain('root:'); // nothing of /etc/passwd
    expect(await h.count(id)).toBe(10);
  } else {
    const result = await h.harvest(id);
    expect(result).toMatchObject({
      status: 'completed',
      created: expected.created,
      invalid: expected.invalid,
      ...(expected.duplicates !== undefined ? { duplicates: expected.duplicates } : {}),
      markedMissing: 0,
    });
    expect(await h.count(id)).toBe(10 + expected.created);
    const errors = await runErrors(result.harvestRunId);
    expect(errors).toHaveLength((expected.rowErrors ?? []).length);
    for (const want of expected.rowErrors ?? []) {
      const found = errors.find((e) => (want.externalId === undefined || e.externalId === want.externalId) && (want.line === undefined || e.line === want.line));
      expect(found, `${JSON.stringify(want)} in ${JSON.stringify(errors)}`).toBeDefined();
      expect(found!.reason).toContain(want.reason);
    }
  }
  expect(await h.count(id, { missing: true })).toBe(0);
  await expectNothingElseDisturbed();
}

describe('the hostile and broken input corpus', () => {
  for (const entry of readCorpusManifest()) {
    it(`${entry.file}: ${entry.what} -> ${entry.expect.outcome === 'failed' ? entry.expect.type : 'row-level report'}`, async () => {
      await checkEntry(entry);
    });
  }
});

describe('generated hostile input', () => {
  it('a 10 MB single field: that product is reported, the others are stored', async () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const body = `sku;name;price;currency;description\nbig1;Tent one;10.00;EUR;short\nbig2;Tent two;11.00;EUR;${huge}\nbig3;Tent three;12.00;EUR;short\n`;
    h.feeds.set('/huge-field.csv', { body });
    await h.addSupplier({ id: 'huge-field', feedUrl: h.feeds.url('/huge-field.csv'), format: 'csv' });
    const result = await h.harvest('huge-field');
    expect(result).toMatchObject({ status: 'completed', created: 2, invalid: 1 });
    const errors = await runErrors(result.harvestRunId);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.reason).toMatch(/description/);
    await expectNothingElseDisturbed();
  });

  it('a feed of 0 products after a feed of 10k: the shrink guard keeps all 10k', async () => {
    h.feeds.set('/shrinks.csv', { body: csvFeed(10_000) });
    await h.addSupplier({ id: 'shrinks', feedUrl: h.feeds.url('/shrinks.csv'), format: 'csv' });
    expect(await h.harvest('shrinks')).toMatchObject({ status: 'completed', created: 10_000 });
    h.feeds.set('/shrinks.csv', { body: 'sku;name;price;currency\n' });
    const result = await h.harvest('shrinks');
    expect(result).toMatchObject({ status: 'completed', created: 0, markedMissing: 0, removalRefused: { wouldMark: 10_000, active: 10_000 } });
    expect(await h.count('shrinks', { missing: false })).toBe(10_000);
    await expectNothingElseDisturbed();
  });
});

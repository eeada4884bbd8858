import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTransformer, TransformerRegistry } from '../src/index.js';
import { startHarvestHarness, type HarvestHarness } from './harvest-harness.js';
import { csvFeed, sampleProducts, type SampleProduct } from './feeds.js';

// A re-harvest recognizes a row stored unchanged by the hash of its source (the CSV row, the YML offer)
// and does not read it in full. The proof used here: a stored content hash that no longer matches the
// product's content is left alone for a recognized row, and repaired for a row that is read.
let h: HarvestHarness;
const registry = new TransformerRegistry().register(
  defineTransformer({ id: 'upper-vendor', transform: (record) => ({ ...record, vendor: record.vendor?.toUpperCase() }) }),
);

beforeAll(async () => {
  // Small batches: 200 products make several look-up groups and store lanes.
  h = await startHarvestHarness({ module: { transformers: registry, batchSize: 30 } });
});
afterAll(async () => {
  await h?.stop();
});

const hashes = async (supplierId: string) => {
  const rows = await h.catalog.query<{ external_id: string; content_hash: string; source_hash: string | null }>(
    'select external_id, content_hash, source_hash from dealer_products where tenant_id = $1 and supplier_id = $2',
    [h.tenantId, supplierId],
  );
  return new Map(rows.map((row) => [row.external_id, row]));
};
const spoilContentHash = (supplierId: string, externalId: string) =>
  h.catalog.query("update dealer_products set content_hash = 'spoiled' where tenant_id = $1 and supplier_id = $2 and external_id = $3", [
    h.tenantId,
    supplierId,
    externalId,
  ]);
// The same products with the columns in another order: every row's text changes, no product's content.
const reorderedCsv = (products: SampleProduct[]): string =>
  ['name;brand;currency;price;sku', ...products.map((p) => `${p.name};${p.vendor ?? ''};EUR;${p.price};${p.id}`)].join('\n') + '\n';

describe('recognizing rows stored unchanged', () => {
  it('stores the source hash of every row, then reads only the rows whose source changed', async () => {
    const supplierId = 'plain';
    h.feeds.set('/plain.csv', { body: csvFeed(sampleProducts(200)) });
    await h.addSupplier({ id: supplierId, feedUrl: h.feeds.url('/plain.csv'), format: 'csv' });
    expect(await h.harvest({ supplierId })).toMatchObject({ status: 'completed', created: 200 });
    const first = await hashes(supplierId);
    expect(new Set([...first.values()].map((row) => row.source_hash)).size).toBe(200);
    expect([...first.values()].every((row) => typeof row.source_hash === 'string')).toBe(true);

    await spoilContentHash(supplierId, 'sku-7');
    h.feeds.set('/plain.csv', { body: csvFeed(sampleProducts(200, { priceBump: (i) => (i < 3 ? 1 : 0) })) });
    expect(await h.harvest({ supplierId })).toMatchObject({ status: 'completed', created: 0, updated: 3, unchanged: 197, markedMissing: 0 });
    const second = await hashes(supplierId);
    // sku-7's row is the same, so it was not read: its spoiled content hash was never compared.
    expect(second.get('sku-7')?.content_hash).toBe('spoiled');
    expect(second.get('sku-1')?.content_hash).not.toBe(first.get('sku-1')?.content_hash);
    expect(second.get('sku-1')?.source_hash).not.toBe(first.get('sku-1')?.source_hash);
    expect(second.get('sku-9')).toEqual(first.get('sku-9'));

    // Reordered columns: every row is read again. Only sku-7's content differs from what is stored,
    // and every product gets the source hash of its new row.
    h.feeds.set('/plain.csv', { body: reorderedCsv(sampleProducts(200, { priceBump: (i) => (i < 3 ? 1 : 0) })) });
    expect(await h.harvest({ supplierId })).toMatchObject({ status: 'completed', created: 0, updated: 1, unchanged: 199, markedMissing: 0 });
    const third = await hashes(supplierId);
    expect(third.get('sku-7')?.content_hash).toBe(first.get('sku-7')?.content_hash);
    expect([...third.values()].filter((row) => row.source_hash === second.get(row.external_id)?.source_hash)).toEqual([]);
    expect(third.get('sku-9')?.content_hash).toBe(first.get('sku-9')?.content_hash);
  });

  it('reads every row of a supplier with a transformer, whose code can change while the feed does not', async () => {
    const supplierId = 'shaped';
    h.feeds.set('/shaped.csv', { body: csvFeed(sampleProducts(200)) });
    await h.addSupplier({ id: supplierId, feedUrl: h.feeds.url('/shaped.csv'), format: 'csv', transformer: 'upper-vendor' });
    expect(await h.harvest({ supplierId })).toMatchObject({ status: 'completed', created: 200 });
    const stored = await hashes(supplierId);
    expect([...stored.values()].every((row) => row.source_hash === null)).toBe(true);

    await spoilContentHash(supplierId, 'sku-7');
    expect(await h.harvest({ supplierId, force: true })).toMatchObject({ status: 'completed', created: 0, updated: 1, unchanged: 199 });
    expect((await hashes(supplierId)).get('sku-7')?.content_hash).toBe(stored.get('sku-7')?.content_hash);
  });

  it('recognizes rows over many parsed chunks, each looked up while the next are read, and keeps feed order for repeats', async () => {
    const supplierId = 'many-chunks';
    // About 300 KB of CSV: several chunks of the file stream, so several look-ups are in flight at once.
    const products = sampleProducts(6_000);
    h.feeds.set('/many.csv', { body: csvFeed(products) });
    await h.addSupplier({ id: supplierId, feedUrl: h.feeds.url('/many.csv'), format: 'csv' });
    expect(await h.harvest({ supplierId })).toMatchObject({ status: 'completed', created: 6_000 });

    // Every 100th product changed; a repeat of sku-10 (stored unchanged) at the end, after a changed
    // repeat of sku-20 in the middle: the first occurrence wins either way.
    const changed = sampleProducts(6_000, { priceBump: (i) => (i % 100 === 0 ? 1 : 0) });
    const repeatOfChanged = `sku-20;"Repeat of sku-20";1.00;EUR;Nordic`;
    const lines = csvFeed(changed).trimEnd().split('\n');
    lines.splice(3_000, 0, repeatOfChanged);
    lines.push(lines[10]!); // sku-10's row again, exactly as stored
    h.feeds.set('/many.csv', { body: `${lines.join('\n')}\n` });
    const result = await h.harvest({ supplierId });
    expect(result).toMatchObject({ status: 'completed', created: 0, updated: 60, unchanged: 5_940, duplicates: 2, markedMissing: 0 });
    const stored = await h.catalog.query<{ external_id: string; name: string; price: string }>(
      "select external_id, name, price::text from dealer_products where tenant_id = $1 and supplier_id = $2 and external_id in ('sku-1', 'sku-2', 'sku-20')",
      [h.tenantId, supplierId],
    );
    expect(Object.fromEntries(stored.map((row) => [row.external_id, [row.name, Number(row.price)]]))).toEqual({
      'sku-1': ['Tent model 1', 101], // changed: read and updated
      'sku-2': ['Tent model 2', 101], // unchanged
      'sku-20': ['Tent model 20', 119],
    });
  });

  it('counts a repeated id and an invalid row the same way whether the other rows are recognized or read', async () => {
    const supplierId = 'repeats';
    const products = sampleProducts(100);
    const extra = ['sku-5;"Second sku-5";1.00;EUR;Nordic', 'sku-x;"";1.00;EUR;Nordic'];
    h.feeds.set('/repeats.csv', { body: csvFeed(products, extra) });
    await h.addSupplier({ id: supplierId, feedUrl: h.feeds.url('/repeats.csv'), format: 'csv' });
    const counts = { created: 100, invalid: 2, duplicates: 1 };
    expect(await h.harvest({ supplierId })).toMatchObject({ status: 'completed', ...counts });
    const again = await h.harvest({ supplierId, force: true });
    expect(again).toMatchObject({ status: 'completed', created: 0, updated: 0, unchanged: 100, invalid: 2, duplicates: 1 });
    // The first sku-5 is kept: the second one's name never reaches the catalogue.
    const [five] = await h.catalog.query<{ name: string }>('select name from dealer_products where tenant_id = $1 and supplier_id = $2 and external_id = $3', [
      h.tenantId,
      supplierId,
      'sku-5',
    ]);
    expect(five?.name).toBe('Tent model 5');
  });
});

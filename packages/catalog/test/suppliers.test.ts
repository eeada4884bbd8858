import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidSupplierError,
  SupplierHasProductsError,
  SupplierNotFoundError,
  countProducts,
  getSupplier,
  listSuppliers,
  recordFeedState,
  removeSupplier,
  startHarvestRun,
  upsertProductBatch,
  upsertSupplier,
  type Catalog,
} from '../src/index.js';
import { BACKENDS, openMigrated } from './backends.js';
import { products } from './fixtures/products.js';

const A = 'tenant-a';
const B = 'tenant-b';

describe.each(BACKENDS)('suppliers on $kind', (backend) => {
  let catalog: Catalog;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ catalog, dispose } = await openMigrated(backend));
  });
  afterAll(() => dispose());

  it('creates, reads, updates and lists suppliers per tenant', async () => {
    const added = await upsertSupplier(catalog, A, {
      id: 'camping-trade',
      feedUrl: 'https://feeds.example.com/camping.yml',
      format: 'yml',
      transformer: 'camping-trade',
      harvestCron: '0 */4 * * *',
      options: { encoding: 'windows-1251', authHeader: { name: 'Authorization', env: 'CAMPING_TRADE_TOKEN' } },
    });
    expect(added.created).toBe(true);
    expect(added.supplier).toMatchObject({ tenantId: A, id: 'camping-trade', name: 'camping-trade', format: 'yml', lastEtag: null });

    const updated = await upsertSupplier(catalog, A, { id: 'camping-trade', name: 'Camping Trade', feedUrl: 'https://feeds.example.com/camping.yml', format: 'yml' });
    expect(updated.created).toBe(false);
    expect(updated.supplier).toMatchObject({ name: 'Camping Trade', transformer: null, harvestCron: null, options: {} });
    expect(updated.supplier.createdAt).toEqual(added.supplier.createdAt);

    await upsertSupplier(catalog, A, { id: 'alpha', feedUrl: 'http://feeds.example.com/a.csv', format: 'csv', options: { delimiter: ';' } });
    expect((await listSuppliers(catalog, A)).map((s) => s.id)).toEqual(['alpha', 'camping-trade']);
    expect(await listSuppliers(catalog, B)).toEqual([]);
    await expect(getSupplier(catalog, B, 'alpha')).rejects.toThrow(new SupplierNotFoundError(B, 'alpha'));
    await expect(getSupplier(catalog, B, 'alpha')).rejects.toThrow('Supplier "alpha" not found for tenant "tenant-b"');
  });

  it('records the feed state, and forgets it when the feed URL or format changes', async () => {
    const feed = { id: 'ledger', feedUrl: 'https://feeds.example.com/l.json', format: 'json' as const };
    await upsertSupplier(catalog, A, feed);
    await recordFeedState(catalog, A, 'ledger', { etag: '"v1"', lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT', contentHash: 'abc' });
    const recorded = await getSupplier(catalog, A, 'ledger');
    expect(recorded).toMatchObject({ lastEtag: '"v1"', lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT', lastContentHash: 'abc' });
    expect(recorded.lastHarvestAt).toBeInstanceOf(Date);

    await upsertSupplier(catalog, A, { ...feed, name: 'Renamed only' });
    expect(await getSupplier(catalog, A, 'ledger')).toMatchObject({ lastEtag: '"v1"', lastContentHash: 'abc' });
    await upsertSupplier(catalog, A, { ...feed, feedUrl: 'https://feeds.example.com/l2.json' });
    expect(await getSupplier(catalog, A, 'ledger')).toMatchObject({ lastEtag: null, lastModified: null, lastContentHash: null });

    await expect(recordFeedState(catalog, B, 'ledger', { etag: null, lastModified: null, contentHash: null })).rejects.toBeInstanceOf(SupplierNotFoundError);
  });

  it('refuses a supplier with products unless withProducts, and then removes products and runs too', async () => {
    await upsertSupplier(catalog, A, { id: 'to-remove', feedUrl: 'https://feeds.example.com/r.csv', format: 'csv' });
    await upsertSupplier(catalog, B, { id: 'to-remove', feedUrl: 'https://feeds.example.com/r.csv', format: 'csv' });
    for (const tenantId of [A, B]) {
      const run = await startHarvestRun(catalog, tenantId, { supplierId: 'to-remove' });
      await upsertProductBatch(catalog, { tenantId, supplierId: 'to-remove', harvestRunId: run.id, products: products(['r1', 'r2', 'r3']) });
    }

    await expect(removeSupplier(catalog, A, 'to-remove')).rejects.toThrow(new SupplierHasProductsError(A, 'to-remove', 3));
    expect(await removeSupplier(catalog, A, 'to-remove', { withProducts: true })).toEqual({ removedProducts: 3 });
    await expect(getSupplier(catalog, A, 'to-remove')).rejects.toBeInstanceOf(SupplierNotFoundError);
    expect(await countProducts(catalog, { tenantId: A, supplierId: 'to-remove' })).toBe(0);
    // Tenant B's supplier of the same id is untouched.
    expect(await countProducts(catalog, { tenantId: B, supplierId: 'to-remove' })).toBe(3);
    await expect(removeSupplier(catalog, A, 'to-remove')).rejects.toBeInstanceOf(SupplierNotFoundError);

    await upsertSupplier(catalog, A, { id: 'empty', feedUrl: 'https://feeds.example.com/e.csv', format: 'csv' });
    expect(await removeSupplier(catalog, A, 'empty')).toEqual({ removedProducts: 0 });
  });

  it('rejects invalid definitions with every problem listed, and stores nothing', async () => {
    const error = await upsertSupplier(catalog, A, {
      id: 'Bad Id',
      feedUrl: 'ftp://user:pw@example.com/feed',
      format: 'tsv' as never,
      harvestCron: 'every day',
      options: { authHeader: { name: 'Authorization', env: 'Bearer abc.def' } },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidSupplierError);
    const fields = (error as InvalidSupplierError).issues.map((issue) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['id', 'feedUrl', 'format', 'harvestCron', 'options.authHeader.env']));
    expect((error as Error).message).toContain('Supplier "Bad Id" is invalid');
    expect((error as Error).message).toContain('must be one of csv, json, jsonl, xml, yml, google-merchant');
    expect((error as Error).message).not.toContain('pw@');

    await expect(upsertSupplier(catalog, A, { id: 'xml-feed', feedUrl: 'https://x.example.com/f.xml', format: 'xml' })).rejects.toThrow(
      /options\.recordPath: is required for format xml/,
    );
    expect((await listSuppliers(catalog, A)).map((s) => s.id)).not.toContain('xml-feed');
  });
});

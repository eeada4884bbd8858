import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DryRunWriteError,
  HarvestRunNotFoundError,
  InvalidProductError,
  countProducts,
  findUnchangedProducts,
  findUnchangedSources,
  markMissingProducts,
  getHarvestRun,
  getProductsByExternalIds,
  getProductsByIds,
  previewProductBatch,
  startHarvestRun,
  upsertProductBatch,
  upsertSupplier,
  type Catalog,
} from '../src/index.js';
import { BACKENDS, openMigrated } from './backends.js';
import { product, products, range } from './fixtures/products.js';

const A = 'tenant-a';
const B = 'tenant-b';
const SUPPLIER = 'camping-trade';

describe.each(BACKENDS)('products on $kind', (backend) => {
  let catalog: Catalog;
  let dispose: () => Promise<void>;
  const run = async (tenantId = A, supplierId = SUPPLIER): Promise<string> => (await startHarvestRun(catalog, tenantId, { supplierId })).id;
  const store = async (runId: string, batch: ReturnType<typeof products>, tenantId = A) =>
    upsertProductBatch(catalog, { tenantId, supplierId: SUPPLIER, harvestRunId: runId, products: batch });

  beforeAll(async () => {
    ({ catalog, dispose } = await openMigrated(backend));
    for (const tenant of [A, B]) await upsertSupplier(catalog, tenant, { id: SUPPLIER, feedUrl: 'https://feeds.example.com/c.csv', format: 'csv' });
  });
  afterAll(() => dispose());

  it('counts created, updated and unchanged exactly across three batches', async () => {
    const first = await store(await run(), products(range('p', 0, 1500)));
    expect(first).toMatchObject({ created: 1500, updated: 0, unchanged: 0, duplicates: 0 });
    expect(first.createdIds).toHaveLength(1500);
    expect(new Set(first.createdIds).size).toBe(1500);

    // 500 changed prices, 1000 unchanged, 200 new.
    const second = await store(await run(), [
      ...products(range('p', 0, 500), { price: '89.90' }),
      ...products(range('p', 500, 1500)),
      ...products(range('p', 1500, 1700)),
    ]);
    expect(second).toMatchObject({ created: 200, updated: 500, unchanged: 1000, duplicates: 0 });
    expect(second.createdIds).toHaveLength(200);

    const thirdRun = await run();
    const third = await store(thirdRun, products(range('p', 0, 1700), { price: '89.90' }));
    expect(third).toMatchObject({ created: 0, updated: 1200, unchanged: 500, createdIds: [] });
    expect(await countProducts(catalog, { tenantId: A, supplierId: SUPPLIER })).toBe(1700);

    // Every product of the run is recorded as seen: the written ones carry the run's id, the unchanged
    // ones are listed in harvest_run_seen.
    const [written] = await catalog.query<{ n: number }>(
      'select count(*)::int as n from dealer_products where tenant_id = $1 and last_seen_run_id = $2::uuid',
      [A, thirdRun],
    );
    expect(written?.n).toBe(1200);
    const [seen] = await catalog.query<{ n: number }>(
      `select count(*)::int as n from harvest_run_seen s cross join unnest(s.external_ids) e(external_id) join dealer_products d
         on d.tenant_id = s.tenant_id and d.supplier_id = $3 and d.external_id = e.external_id
       where s.tenant_id = $1 and s.harvest_run_id = $2::uuid and d.last_seen_run_id is distinct from $2::uuid`,
      [A, thirdRun, SUPPLIER],
    );
    expect(seen?.n).toBe(500);
  });

  it('leaves an unchanged product untouched: no new row version, same updated_at and last seen run', async () => {
    const firstRun = await run();
    await store(firstRun, products(range('still', 0, 3)));
    const before = await catalog.query<{ external_id: string; ctid: string; updated_at: Date; last_seen_run_id: string }>(
      "select external_id, ctid::text as ctid, updated_at, last_seen_run_id from dealer_products where tenant_id = $1 and external_id like 'still-%' order by external_id",
      [A],
    );
    const again = await store(await run(), products(range('still', 0, 3)));
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    const after = await catalog.query<{ external_id: string; ctid: string; updated_at: Date; last_seen_run_id: string }>(
      "select external_id, ctid::text as ctid, updated_at, last_seen_run_id from dealer_products where tenant_id = $1 and external_id like 'still-%' order by external_id",
      [A],
    );
    expect(after).toEqual(before);
    expect(after.every((row) => row.last_seen_run_id === firstRun)).toBe(true);
  });

  it('inserts a first import without lookups, and refuses the batch when a product exists after all', async () => {
    await upsertSupplier(catalog, A, { id: 'first-import', feedUrl: 'https://feeds.example.com/f.csv', format: 'csv' });
    const runId = (await startHarvestRun(catalog, A, { supplierId: 'first-import' })).id;
    const first = await upsertProductBatch(catalog, { tenantId: A, supplierId: 'first-import', harvestRunId: runId, products: products(range('f', 0, 300)), supplierWasEmpty: true });
    expect(first).toMatchObject({ created: 300, updated: 0, unchanged: 0 });
    const clash = upsertProductBatch(catalog, {
      tenantId: A,
      supplierId: 'first-import',
      harvestRunId: runId,
      products: [...products(range('f', 300, 310)), product('f0', { price: '1.00' })],
      supplierWasEmpty: true,
    });
    await expect(clash).rejects.toThrow(/dealer_products_tenant_supplier_external_key/);
    expect(await countProducts(catalog, { tenantId: A, supplierId: 'first-import' })).toBe(300);
    // Without the flag the same batch is looked up and stored.
    const again = await upsertProductBatch(catalog, {
      tenantId: A,
      supplierId: 'first-import',
      harvestRunId: runId,
      products: [...products(range('f', 300, 310)), product('f0', { price: '1.00' })],
    });
    expect(again).toMatchObject({ created: 10, updated: 1, unchanged: 0 });
  });

  it("writes a first import's checkpoint, counts and seen ids as the statement that looks products up does", async () => {
    await upsertSupplier(catalog, A, { id: 'first-range', feedUrl: 'https://feeds.example.com/r.csv', format: 'csv' });
    const runId = (await startHarvestRun(catalog, A, { supplierId: 'first-range' })).id;
    const batch = (harvestRunId: string, ids: string[], after: number, through: number, unchanged: string[] = [], supplierId = 'first-range') =>
      upsertProductBatch(catalog, {
        tenantId: A,
        supplierId,
        harvestRunId,
        products: ids.map((id) => product(id)),
        unchanged,
        supplierWasEmpty: true,
        range: { after, through, checkpoint: { feedSha256: 'f2' } },
      });
    const later = await batch(runId, ['fr-3', 'fr-4'], 2, 4);
    expect(later).toMatchObject({ created: 2, updated: 0, unchanged: 0, reactivated: 0, duplicates: 0 });
    const [third, fourth] = await getProductsByExternalIds(catalog, { tenantId: A, supplierId: 'first-range', externalIds: ['fr-3', 'fr-4'] });
    expect(later.createdIds).toEqual([third!.id, fourth!.id].sort((a, b) => Number(a) - Number(b)));
    // The earlier batch, with an id recognized unchanged, closes the gap.
    expect(await batch(runId, ['fr-1'], 0, 2, ['fr-0'])).toMatchObject({ created: 1, updated: 0, unchanged: 1 });
    expect((await getHarvestRun(catalog, A, runId)).storeProgress).toEqual({
      feedSha256: 'f2', recordsStored: 4, created: 3, updated: 0, unchanged: 1, batches: 2, ahead: [],
    });
    const seen = await catalog.query<{ ids: string[] }>('select external_ids as ids from harvest_run_seen where tenant_id = $1 and harvest_run_id = $2', [A, runId]);
    expect(seen.flatMap((row) => row.ids)).toEqual(['fr-0']);
    // Dry runs and another supplier's runs are refused, and nothing of them is written.
    const dry = await startHarvestRun(catalog, A, { supplierId: 'first-range', dryRun: true });
    await expect(batch(dry.id, ['fr-8'], 4, 5)).rejects.toBeInstanceOf(DryRunWriteError);
    await expect(batch(runId, ['fr-9'], 4, 5, [], SUPPLIER)).rejects.toBeInstanceOf(HarvestRunNotFoundError);
    expect(await countProducts(catalog, { tenantId: A, supplierId: 'first-range' })).toBe(3);
    expect(await getProductsByExternalIds(catalog, { tenantId: A, supplierId: SUPPLIER, externalIds: ['fr-9'] })).toEqual([]);
  });

  it('finds the unchanged products by id and hash, and counts them as seen without their columns', async () => {
    await upsertSupplier(catalog, A, { id: 'known', feedUrl: 'https://feeds.example.com/k.csv', format: 'csv' });
    const firstRun = (await startHarvestRun(catalog, A, { supplierId: 'known' })).id;
    await upsertProductBatch(catalog, { tenantId: A, supplierId: 'known', harvestRunId: firstRun, products: products(range('k', 0, 5)) });
    const feed = [...products(range('k', 0, 3)), product('k3', { price: '2.00' }), product('k9')];
    const positions = await findUnchangedProducts(catalog, { tenantId: A, supplierId: 'known', products: feed });
    expect(positions).toEqual([0, 1, 2]);

    const secondRun = (await startHarvestRun(catalog, A, { supplierId: 'known' })).id;
    const stored = await upsertProductBatch(catalog, {
      tenantId: A,
      supplierId: 'known',
      harvestRunId: secondRun,
      products: feed.slice(3),
      unchanged: feed.slice(0, 3).map((p) => p.externalId),
    });
    expect(stored).toMatchObject({ created: 1, updated: 1, unchanged: 3 });
    // k4 was neither sent nor reported unchanged: only it is missing.
    expect(await markMissingProducts(catalog, { tenantId: A, supplierId: 'known', harvestRunId: secondRun })).toEqual({ marked: 1, active: 6 });
    const [k4] = await getProductsByExternalIds(catalog, { tenantId: A, supplierId: 'known', externalIds: ['k4'] });
    expect(k4?.missingSince).toBeInstanceOf(Date);
  });

  it('stores source hashes, finds unchanged products by them, refreshes one on unchanged content and clears it on a change without one', async () => {
    await upsertSupplier(catalog, A, { id: 'sourced', feedUrl: 'https://feeds.example.com/s.csv', format: 'csv' });
    const sourceOf = async (): Promise<Record<string, string | null>> => {
      const rows = await catalog.query<{ external_id: string; source_hash: string | null }>(
        "select external_id, source_hash from dealer_products where tenant_id = $1 and supplier_id = 'sourced' order by external_id",
        [A],
      );
      return Object.fromEntries(rows.map((row) => [row.external_id, row.source_hash]));
    };
    const ids = range('s', 0, 4);
    const sourced = ids.map((id) => ({ ...product(id), sourceHash: `src-${id}` }));
    await upsertProductBatch(catalog, { tenantId: A, supplierId: 'sourced', harvestRunId: (await startHarvestRun(catalog, A, { supplierId: 'sourced' })).id, products: sourced });
    expect(await sourceOf()).toEqual({ s0: 'src-s0', s1: 'src-s1', s2: 'src-s2', s3: 'src-s3' });

    // Same id and source: unchanged; another source, an unknown id or another tenant's product: not.
    const found = await findUnchangedSources(catalog, {
      tenantId: A,
      supplierId: 'sourced',
      externalIds: ['s0', 's1', 's9', 's2'],
      sourceHashes: ['src-s0', 'src-other', 'src-s9', 'src-s2'],
    });
    expect(found).toEqual([0, 3]);
    expect(await findUnchangedSources(catalog, { tenantId: B, supplierId: 'sourced', externalIds: ['s0'], sourceHashes: ['src-s0'] })).toEqual([]);
    await expect(findUnchangedSources(catalog, { tenantId: A, supplierId: 'sourced', externalIds: ['s0'], sourceHashes: [] })).rejects.toThrow(/1 external ids but 0 hashes/);

    const before = await catalog.query<{ external_id: string; updated_at: Date }>(
      "select external_id, updated_at from dealer_products where tenant_id = $1 and external_id = 's1'",
      [A],
    );
    const secondRun = (await startHarvestRun(catalog, A, { supplierId: 'sourced' })).id;
    const stored = await upsertProductBatch(catalog, {
      tenantId: A,
      supplierId: 'sourced',
      harvestRunId: secondRun,
      products: [
        { ...product('s1'), sourceHash: 'src-s1-reformatted' }, // same content, record written differently
        product('s2', { price: '1.00' }), // changed, without a source hash
        product('s3'), // unchanged, without a source hash: the stored one stays
      ],
      unchanged: ['s0'],
    });
    expect(stored).toMatchObject({ created: 0, updated: 1, unchanged: 3 });
    expect(await sourceOf()).toEqual({ s0: 'src-s0', s1: 'src-s1-reformatted', s2: null, s3: 'src-s3' });
    // Only the hash was written: the product's content did not change, so neither did updated_at.
    const after = await catalog.query<{ external_id: string; updated_at: Date }>(
      "select external_id, updated_at from dealer_products where tenant_id = $1 and external_id = 's1'",
      [A],
    );
    expect(after).toEqual(before);

    // A quarantined product is never reported unchanged: it has to come back through the upsert.
    expect(await markMissingProducts(catalog, { tenantId: A, supplierId: 'sourced', harvestRunId: secondRun })).toEqual({ marked: 0, active: 4 });
    await catalog.query("update dealer_products set missing_since = now() where tenant_id = $1 and external_id = 's0'", [A]);
    expect(await findUnchangedSources(catalog, { tenantId: A, supplierId: 'sourced', externalIds: ['s0', 's3'], sourceHashes: ['src-s0', 'src-s3'] })).toEqual([1]);
  });

  it('stores every column as given and returns products by id', async () => {
    const input = product('full-1', {
      description: 'Two-person tent',
      categoryId: '42',
      price: '1299.5',
      oldPrice: '1499.00',
      stock: 0,
      url: 'https://shop.example.com/t',
      barcode: '4006381333931',
      attributes: { weight: '2.1 kg', colour: 'green' },
    });
    const { createdIds } = await store(await run(), [input]);
    const [stored] = await getProductsByIds(catalog, A, createdIds);
    expect(stored).toMatchObject({
      id: createdIds[0],
      tenantId: A,
      supplierId: SUPPLIER,
      externalId: 'full-1',
      description: 'Two-person tent',
      categoryId: '42',
      price: '1299.5000',
      oldPrice: '1499.0000',
      currency: 'EUR',
      stock: 0,
      available: false,
      barcode: '4006381333931',
      images: ['https://img.example.com/full-1.jpg'],
      attributes: { weight: '2.1 kg', colour: 'green' },
      enrichmentStatus: 'pending',
      missingSince: null,
      contentHash: input.contentHash,
    });
    expect(stored?.firstSeenAt).toBeInstanceOf(Date);
    expect(await getProductsByIds(catalog, B, createdIds)).toEqual([]);
  });

  it('dedupes repeated external ids within a batch: the last one wins', async () => {
    const result = await store(await run(), [product('dup-1', { name: 'first' }), product('dup-2'), product('dup-1', { name: 'last' }), product('dup-1', { name: 'final' })]);
    expect(result).toMatchObject({ created: 2, duplicates: 2 });
    const [stored] = await getProductsByExternalIds(catalog, { tenantId: A, supplierId: SUPPLIER, externalIds: ['dup-1'] });
    expect(stored?.name).toBe('final');
  });

  it('resets enrichment to pending when what a classifier reads changes, not for a price or stock change', async () => {
    const { createdIds } = await store(await run(), [product('enr-1'), product('enr-2')]);
    await catalog.query(
      `update dealer_products set enrichment_status = 'done', enrichment_result = '{"categoryId":"tents"}', claimed_by = 'w1' where tenant_id = $1 and id::text = any($2::text[])`,
      [A, createdIds],
    );
    const result = await store(await run(), [product('enr-1', { name: 'Tent, renamed' }), product('enr-2', { price: '1.00', stock: 9 })]);
    expect(result).toMatchObject({ created: 0, updated: 2, unchanged: 0 });
    const [renamed, repriced] = await getProductsByIds(catalog, A, createdIds);
    expect(renamed).toMatchObject({ name: 'Tent, renamed', enrichmentStatus: 'pending', claimedBy: null });
    expect(repriced).toMatchObject({ price: '1.0000', stock: 9, enrichmentStatus: 'done', claimedBy: 'w1' });
    expect(renamed!.updatedAt.getTime()).toBeGreaterThanOrEqual(renamed!.firstSeenAt.getTime());
  });

  it("keeps tenants apart: tenant B's batch neither sees nor changes tenant A's rows", async () => {
    const ids = range('iso', 0, 10);
    const forA = await store(await run(A), products(ids));
    const forB = await store(await run(B), products(ids, { name: 'B name' }), B);
    expect(forB).toMatchObject({ created: 10, updated: 0, unchanged: 0 });
    const rowsA = await getProductsByIds(catalog, A, forA.createdIds);
    expect(rowsA.map((row) => row.name)).toEqual(ids.map((id) => `Product ${id}`));
    expect(await getProductsByIds(catalog, A, forB.createdIds)).toEqual([]);
    expect(await countProducts(catalog, { tenantId: B })).toBe(10);

    // A run of tenant A cannot be used to write tenant B's products.
    await expect(store(await run(A), products(ids), B)).rejects.toBeInstanceOf(HarvestRunNotFoundError);
  });

  it('refuses an invalid product, naming it, and writes nothing of the batch', async () => {
    const before = await countProducts(catalog, { tenantId: A });
    const bad = { ...product('bad-1'), price: '12,50' };
    const error = await store(await run(), [product('ok-1'), bad]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidProductError);
    expect((error as Error).message).toContain('"bad-1" (#1)');
    expect((error as Error).message).toContain('price: must be a decimal string');
    expect(await countProducts(catalog, { tenantId: A })).toBe(before);
  });

  it('adds a batch range to the checkpoint whatever order the batches commit in', async () => {
    const runId = await run();
    const batch = (ids: string[], after: number, through: number) =>
      upsertProductBatch(catalog, {
        tenantId: A,
        supplierId: SUPPLIER,
        harvestRunId: runId,
        products: ids.map((id) => product(id)),
        range: { after, through, checkpoint: { feedSha256: 'f1' } },
      });
    const progress = async () => (await getHarvestRun(catalog, A, runId)).storeProgress;
    // Records 3-4 commit first: they wait beyond the gap.
    await batch(['rg-3', 'rg-4'], 2, 4);
    expect(await progress()).toEqual({
      feedSha256: 'f1', recordsStored: 0, created: 0, updated: 0, unchanged: 0, batches: 0,
      ahead: [{ after: 2, through: 4, created: 2, updated: 0, unchanged: 0, batches: 1 }],
    });
    // Records 7-8 too, with another gap before them.
    await batch(['rg-7', 'rg-8'], 6, 8);
    // Records 1-2 close the first gap: 1-4 are stored, 7-8 still wait.
    await batch(['rg-1', 'rg-2'], 0, 2);
    expect(await progress()).toEqual({
      feedSha256: 'f1', recordsStored: 4, created: 4, updated: 0, unchanged: 0, batches: 2,
      ahead: [{ after: 6, through: 8, created: 2, updated: 0, unchanged: 0, batches: 1 }],
    });
    // Records 5-6, one of them stored already: everything joins.
    await batch(['rg-5', 'rg-1'], 4, 6);
    expect(await progress()).toEqual({ feedSha256: 'f1', recordsStored: 8, created: 7, updated: 0, unchanged: 1, batches: 4, ahead: [] });
    await expect(batch(['rg-9'], 9, 8)).rejects.toThrow('range must be whole record numbers with 0 <= after <= through, got {"after":9,"through":8}');
  });

  it('saves the store checkpoint in the same statement, and refuses dry runs', async () => {
    const runId = await run();
    await upsertProductBatch(catalog, { tenantId: A, supplierId: SUPPLIER, harvestRunId: runId, products: [product('cp-1')], progress: { recordsStored: 1 } });
    expect((await getHarvestRun(catalog, A, runId)).storeProgress).toEqual({ recordsStored: 1, created: 1, updated: 0, unchanged: 0 });
    // The checkpoint adds this batch's counts to the totals it is given.
    await upsertProductBatch(catalog, {
      tenantId: A,
      supplierId: SUPPLIER,
      harvestRunId: runId,
      products: [product('cp-1'), product('cp-2')],
      progress: { recordsStored: 3, created: 1, updated: 0, unchanged: 0 },
    });
    expect((await getHarvestRun(catalog, A, runId)).storeProgress).toEqual({ recordsStored: 3, created: 2, updated: 0, unchanged: 1 });

    const dry = await startHarvestRun(catalog, A, { supplierId: SUPPLIER, dryRun: true });
    await expect(store(dry.id, [product('dry-1')])).rejects.toBeInstanceOf(DryRunWriteError);
    const preview = await previewProductBatch(catalog, { tenantId: A, supplierId: SUPPLIER, products: [product('cp-1'), product('dry-1'), product('dry-1')] });
    expect(preview).toEqual({ created: 1, updated: 0, unchanged: 1, duplicates: 1, seenActive: 1 });
    expect(await getProductsByExternalIds(catalog, { tenantId: A, supplierId: SUPPLIER, externalIds: ['dry-1'] })).toEqual([]);
  });
});

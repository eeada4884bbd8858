// The claim / record statements on real PostgreSQL and on embedded PGlite.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateCatalog, openCatalog, startHarvestRun, upsertSupplier, type Catalog } from '@contextworker/catalog';
import { createTestDatabase, type TestDatabase } from '@contextworker/test-utils';
import { claimPendingProducts, claimProductsForClassification, loadProductsForClassification, recordEnrichmentResults, requeueForTaxonomy } from '../src/index.js';

const tenantId = 'acme';

async function seed(catalog: Catalog, count: number, supplierId = 'camping-trade'): Promise<{ runId: string; ids: string[] }> {
  await upsertSupplier(catalog, tenantId, { id: supplierId, feedUrl: 'https://feeds.example.com/f.yml', format: 'yml' });
  const run = await startHarvestRun(catalog, tenantId, { supplierId });
  const rows = await catalog.query<{ id: string }>(
    `insert into dealer_products (tenant_id, supplier_id, external_id, name, content_hash, last_seen_run_id)
     select $1, $2, 'E' || g, 'Палатка ' || g, 'h' || g, $3::uuid from generate_series(1, $4::int) g returning id::text as id`,
    [tenantId, supplierId, run.id, count],
  );
  return { runId: run.id, ids: rows.map((row) => row.id) };
}

const statusOf = async (catalog: Catalog, id: string) =>
  (await catalog.query<{ s: string; by: string | null; hash: string | null }>(`select enrichment_status s, claimed_by by, enrichment_hash hash from dealer_products where id = $1::bigint`, [id]))[0];

const backends: [string, () => Promise<{ catalog: Catalog; done: () => Promise<void> }>][] = [
  [
    'PostgreSQL',
    async () => {
      const db: TestDatabase = await createTestDatabase('claims');
      const catalog = await openCatalog({ url: db.url, embeddedDir: '' });
      return { catalog, done: async () => (await catalog.close(), await db.drop()) };
    },
  ],
  [
    'PGlite',
    async () => {
      const catalog = await openCatalog({ embeddedDir: mkdtempSync(join(tmpdir(), 'cw-claims-')) });
      return { catalog, done: () => catalog.close() };
    },
  ],
];

describe.each(backends)('product claims on %s', (_name, open) => {
  let catalog: Catalog;
  let done: () => Promise<void>;
  beforeAll(async () => {
    ({ catalog, done } = await open());
    await migrateCatalog(catalog);
  });
  afterAll(async () => done?.());

  it('claims pending products in id order, by run or ids, and takes expired leases again', async () => {
    const { runId, ids } = await seed(catalog, 10);
    const other = await seed(catalog, 2, 'other-supplier');
    expect(await claimPendingProducts(catalog, { tenantId, claimant: 'a', limit: 3, leaseSeconds: 60, harvestRunId: runId })).toEqual(ids.slice(0, 3));
    expect(await claimPendingProducts(catalog, { tenantId, claimant: 'b', limit: 3, leaseSeconds: 60, productIds: [ids[0] as string, ids[3] as string] })).toEqual([ids[3]]);
    expect(await claimPendingProducts(catalog, { tenantId: 'someone-else', claimant: 'c', limit: 100, leaseSeconds: 60 })).toEqual([]);
    // A crashed worker's claim: its lease is over.
    await catalog.query(`update dealer_products set claim_expires_at = now() - interval '1 minute' where id = $1::bigint`, [ids[1]]);
    const rest = await claimPendingProducts(catalog, { tenantId, claimant: 'c', limit: 100, leaseSeconds: 60 });
    expect(rest).toEqual([ids[1], ...ids.slice(4), ...other.ids]);
    expect(await statusOf(catalog, ids[1] as string)).toMatchObject({ s: 'processing', by: 'c' });
  });

  it('claims a run past other runs\' pending products, with content, and expired leases once the pending ones run out', async () => {
    const before = await seed(catalog, 4, 'backlog'); // pending products of another run, with lower ids
    const { runId, ids } = await seed(catalog, 5, 'run-supplier');
    const first = await claimProductsForClassification(catalog, { tenantId, claimant: 'r', limit: 2, leaseSeconds: 60, harvestRunId: runId });
    expect(first).toEqual([
      { id: ids[0], name: 'Палатка 1', description: null, vendor: null, category: null, barcode: null, attributes: {} },
      { id: ids[1], name: 'Палатка 2', description: null, vendor: null, category: null, barcode: null, attributes: {} },
    ]);
    // A crashed claimant's product of this run: its lease is over.
    await catalog.query(`update dealer_products set enrichment_status = 'processing', claimed_by = 'crashed', claim_expires_at = now() - interval '1 minute' where id = $1::bigint`, [ids[4]]);
    // Two pending products fill a batch of 2: the expired claim waits.
    expect(await claimPendingProducts(catalog, { tenantId, claimant: 'r', limit: 2, leaseSeconds: 60, harvestRunId: runId })).toEqual([ids[2], ids[3]]);
    expect(await claimPendingProducts(catalog, { tenantId, claimant: 'r', limit: 2, leaseSeconds: 60, harvestRunId: runId })).toEqual([ids[4]]);
    expect(await statusOf(catalog, ids[4] as string)).toMatchObject({ s: 'processing', by: 'r' });
    expect(await claimPendingProducts(catalog, { tenantId, claimant: 'r', limit: 2, leaseSeconds: 60, harvestRunId: runId })).toEqual([]);
    // The other run's products were not touched.
    for (const id of before.ids) expect(await statusOf(catalog, id)).toMatchObject({ s: 'pending', by: null });
  });

  it('never gives a product to two claimants claiming at the same time', async () => {
    const { runId, ids } = await seed(catalog, 60, 'contended');
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, index) => claimPendingProducts(catalog, { tenantId, claimant: `c${index}`, limit: 10, leaseSeconds: 60, harvestRunId: runId })),
    );
    const claimed = claims.flat();
    expect(new Set(claimed).size).toBe(claimed.length);
    const rest = await claimPendingProducts(catalog, { tenantId, claimant: 'last', limit: 100, leaseSeconds: 60, harvestRunId: runId });
    expect([...claimed, ...rest].sort()).toEqual([...ids].sort());
  });

  it('writes results only for the claimant holding the claim, and re-queues on a taxonomy change', async () => {
    const { ids } = await seed(catalog, 3, 'third');
    const [first, second, third] = ids as [string, string, string];
    await claimPendingProducts(catalog, { tenantId, claimant: 'x', limit: 100, leaseSeconds: 60, productIds: ids });
    expect((await loadProductsForClassification(catalog, tenantId, ids, { claimant: 'x' })).map((product) => product.name)).toHaveLength(3);
    expect(await loadProductsForClassification(catalog, tenantId, ids, { claimant: 'y' })).toEqual([]);
    const results = [
      { id: first, status: 'done' as const, result: { categoryId: '1022' } },
      { id: second, status: 'failed' as const, result: { reason: 'nope' } },
    ];
    expect(await recordEnrichmentResults(catalog, { tenantId, claimant: 'y', results, taxonomyVersion: 'v1' })).toEqual([]);
    expect((await recordEnrichmentResults(catalog, { tenantId, claimant: 'x', results, taxonomyVersion: 'v1' })).sort()).toEqual([first, second].sort());
    expect(await statusOf(catalog, first)).toEqual({ s: 'done', by: null, hash: `h1:v1` });
    expect(await statusOf(catalog, second)).toMatchObject({ s: 'failed', hash: 'h2:v1' });
    expect(await statusOf(catalog, third)).toMatchObject({ s: 'processing', by: 'x' });

    expect(await requeueForTaxonomy(catalog, tenantId, 'v1')).toBe(0);
    expect(await requeueForTaxonomy(catalog, tenantId, 'v2')).toBe(2);
    expect(await statusOf(catalog, first)).toMatchObject({ s: 'pending' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countProducts,
  finishHarvestRun,
  getProductsByExternalIds,
  markMissingProducts,
  startHarvestRun,
  upsertProductBatch,
  upsertSupplier,
  type Catalog,
  type ProductInput,
} from '../src/index.js';
import { BACKENDS, openMigrated } from './backends.js';
import { products, range } from './fixtures/products.js';

const T = 'tenant-m';

describe.each(BACKENDS)('markMissingProducts on $kind', (backend) => {
  let catalog: Catalog;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ catalog, dispose } = await openMigrated(backend));
  });
  afterAll(() => dispose());

  /** One complete harvest of `supplierId` whose feed holds `batch`; returns the run id. */
  async function harvest(supplierId: string, batch: ProductInput[], tenantId = T): Promise<string> {
    const { id } = await startHarvestRun(catalog, tenantId, { supplierId });
    if (batch.length > 0) await upsertProductBatch(catalog, { tenantId, supplierId, harvestRunId: id, products: batch });
    return id;
  }
  const supplier = (id: string, tenantId = T) => upsertSupplier(catalog, tenantId, { id, feedUrl: `https://feeds.example.com/${id}.json`, format: 'json' });

  it('quarantines products the run did not see, and a later run that sees them clears it', async () => {
    await supplier('s-mark');
    await harvest('s-mark', products(range('m', 0, 10)));
    const second = await harvest('s-mark', products(range('m', 0, 8)));
    expect(await markMissingProducts(catalog, { tenantId: T, supplierId: 's-mark', harvestRunId: second })).toEqual({ marked: 2, active: 10 });

    const [gone] = await getProductsByExternalIds(catalog, { tenantId: T, supplierId: 's-mark', externalIds: ['m9'] });
    expect(gone).toMatchObject({ available: false });
    expect(gone?.missingSince).toBeInstanceOf(Date);
    expect(await countProducts(catalog, { tenantId: T, supplierId: 's-mark', missing: true })).toBe(2);
    // Repeating the call marks nothing more.
    expect(await markMissingProducts(catalog, { tenantId: T, supplierId: 's-mark', harvestRunId: second })).toEqual({ marked: 0, active: 8 });

    const third = await harvest('s-mark', []);
    const seenAgain = await upsertProductBatch(catalog, { tenantId: T, supplierId: 's-mark', harvestRunId: third, products: products(range('m', 0, 10)) });
    expect(seenAgain).toMatchObject({ created: 0, updated: 0, unchanged: 10, reactivated: 2 });
    const empty = await upsertProductBatch(catalog, { tenantId: T, supplierId: 's-mark', harvestRunId: third, products: [] });
    expect(empty).toEqual({ created: 0, updated: 0, unchanged: 0, reactivated: 0, duplicates: 0, createdIds: [] });
    const [returned] = await getProductsByExternalIds(catalog, { tenantId: T, supplierId: 's-mark', externalIds: ['m9'] });
    expect(returned).toMatchObject({ available: true, missingSince: null });
    expect(await markMissingProducts(catalog, { tenantId: T, supplierId: 's-mark', harvestRunId: third })).toEqual({ marked: 0, active: 10 });
  });

  it("compares with what this run saw only, and finishing the run drops that record", async () => {
    await supplier('s-seen');
    await harvest('s-seen', products(range('n', 0, 6)));
    // Another run of the same supplier that saw everything is still storing.
    const other = await harvest('s-seen', products(range('n', 0, 6)));
    const mine = await harvest('s-seen', products(range('n', 0, 4)));
    expect(await markMissingProducts(catalog, { tenantId: T, supplierId: 's-seen', harvestRunId: mine })).toEqual({ marked: 2, active: 6 });

    const seenRows = (runId: string) =>
      catalog.query<{ n: number }>('select coalesce(sum(cardinality(external_ids)), 0)::int as n from harvest_run_seen where tenant_id = $1 and harvest_run_id = $2::uuid', [T, runId]);
    expect((await seenRows(other))[0]?.n).toBe(6);
    await finishHarvestRun(catalog, T, mine, { status: 'completed' });
    expect((await seenRows(mine))[0]?.n).toBe(0);
    expect((await seenRows(other))[0]?.n).toBe(6);
  });

  it('refuses a sudden shrink beyond maxShrinkRatio and marks nothing, unless forced', async () => {
    await supplier('s-shrink');
    await harvest('s-shrink', products(range('s', 0, 100)));
    const truncated = await harvest('s-shrink', products(range('s', 0, 40)));

    const refused = await markMissingProducts(catalog, { tenantId: T, supplierId: 's-shrink', harvestRunId: truncated, maxShrinkRatio: 0.5 });
    expect(refused).toEqual({ marked: 0, active: 100, refused: { wouldMark: 60, active: 100, maxShrinkRatio: 0.5 } });
    expect(await countProducts(catalog, { tenantId: T, supplierId: 's-shrink', missing: true })).toBe(0);

    expect(await markMissingProducts(catalog, { tenantId: T, supplierId: 's-shrink', harvestRunId: truncated, maxShrinkRatio: 0.6 })).toEqual({ marked: 60, active: 100 });

    const empty = await harvest('s-shrink', []);
    expect((await markMissingProducts(catalog, { tenantId: T, supplierId: 's-shrink', harvestRunId: empty })).refused).toEqual({ wouldMark: 40, active: 40, maxShrinkRatio: 0.5 });
    expect(await markMissingProducts(catalog, { tenantId: T, supplierId: 's-shrink', harvestRunId: empty, force: true })).toEqual({ marked: 40, active: 40 });
  });

  it("touches only the run's supplier and tenant", async () => {
    await supplier('s-one');
    await supplier('s-two');
    await supplier('s-one', 'tenant-other');
    await harvest('s-one', products(range('x', 0, 4)));
    await harvest('s-two', products(range('x', 0, 4)));
    await harvest('s-one', products(range('x', 0, 4)), 'tenant-other');
    const next = await harvest('s-one', products(range('x', 0, 3)));
    expect((await markMissingProducts(catalog, { tenantId: T, supplierId: 's-one', harvestRunId: next })).marked).toBe(1);
    expect(await countProducts(catalog, { tenantId: T, supplierId: 's-two', missing: true })).toBe(0);
    expect(await countProducts(catalog, { tenantId: 'tenant-other', missing: true })).toBe(0);
    await expect(markMissingProducts(catalog, { tenantId: 'tenant-other', supplierId: 's-one', harvestRunId: next })).rejects.toThrow(/not found for tenant "tenant-other"/);
  });
});

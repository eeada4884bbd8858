import { countProducts, getProductsByExternalIds } from '@contextworker/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarvestHarness, type HarvestHarness } from './harvest-harness.js';
import { csvFeed, sampleProducts } from './feeds.js';

let h: HarvestHarness;
const supplierId = 'camping-trade';
const original = sampleProducts(200);

beforeAll(async () => {
  h = await startHarvestHarness();
  h.feeds.set('/feed.csv', { body: csvFeed(original) });
  await h.addSupplier({ id: supplierId, feedUrl: h.feeds.url('/feed.csv'), format: 'csv' });
});
afterAll(async () => {
  await h?.stop();
});

const active = () => countProducts(h.catalog, { tenantId: h.tenantId, supplierId, missing: false });

describe('harvesting the same supplier again', () => {
  it('stores a new catalogue, then finds the same feed unchanged, and with force counts every row unchanged', async () => {
    expect(await h.harvest({ supplierId })).toMatchObject({ status: 'completed', created: 200, updated: 0, unchanged: 0 });
    expect(await h.harvest({ supplierId })).toMatchObject({ status: 'unchanged', created: 0 });
    expect(await h.harvest({ supplierId, force: true })).toMatchObject({ status: 'completed', created: 0, updated: 0, unchanged: 200, markedMissing: 0 });
    expect(await countProducts(h.catalog, { tenantId: h.tenantId, supplierId })).toBe(200);
  });

  it('dry run reports new / changed / unchanged / missing and writes nothing', async () => {
    const changed = [...sampleProducts(190, { priceBump: (i) => (i < 5 ? 1 : 0) }), ...sampleProducts(10, { prefix: 'new' })];
    h.feeds.set('/feed.csv', { body: csvFeed(changed) });
    const before = await getProductsByExternalIds(h.catalog, { tenantId: h.tenantId, supplierId, externalIds: ['sku-1', 'sku-200'] });
    const result = await h.harvest({ supplierId, dryRun: true });
    expect(result).toMatchObject({ status: 'dry-run', created: 10, updated: 5, unchanged: 185, wouldBeMissing: 10 });
    const after = await getProductsByExternalIds(h.catalog, { tenantId: h.tenantId, supplierId, externalIds: ['sku-1', 'sku-200'] });
    expect(after).toEqual(before);
    expect(await countProducts(h.catalog, { tenantId: h.tenantId, supplierId })).toBe(200);
  });

  it('applies a changed feed: creates, updates, and quarantines what vanished', async () => {
    const result = await h.harvest({ supplierId });
    expect(result).toMatchObject({ status: 'completed', created: 10, updated: 5, unchanged: 185, markedMissing: 10 });
    const [gone] = await getProductsByExternalIds(h.catalog, { tenantId: h.tenantId, supplierId, externalIds: ['sku-200'] });
    expect(gone?.missingSince).toBeInstanceOf(Date);
    expect(gone?.available).toBe(false);
    expect(await active()).toBe(200);
  });

  it('refuses to quarantine most of the catalogue when the feed suddenly shrinks, and leaves it as it was', async () => {
    h.feeds.set('/feed.csv', { body: csvFeed(sampleProducts(20)) });
    const result = await h.harvest({ supplierId });
    expect(result.markedMissing).toBe(0);
    expect(result.removalRefused).toMatchObject({ wouldMark: 180, active: 200 });
    expect(await active()).toBe(200);
    // An operator who confirms the shrink forces it.
    const forced = await h.harvest({ supplierId, force: true });
    expect(forced.markedMissing).toBe(180);
    expect(await active()).toBe(20);
  });
});

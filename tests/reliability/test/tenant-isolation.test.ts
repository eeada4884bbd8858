// Tenant isolation: code acting for tenant A cannot read or change tenant B's
// products, runs or schedules, at the store and through workflows, even when
// both tenants have a supplier of the same id with the same product ids.
import {
  HarvestRunNotFoundError,
  SupplierNotFoundError,
  finishHarvestRun,
  getProductsByExternalIds,
  getProductsByIds,
  markMissingProducts,
  productContentHash,
  removeSupplier,
  upsertProductBatch,
} from '@contextworker/catalog';
import { ScheduleManager, type ScheduleInfo } from '@contextworker/schedules';
import { uniqueSuffix, waitFor } from '@contextworker/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvFeed } from '../src/feeds.js';
import { rootFailure } from '../src/failures.js';
import { startHarvestSetup, type HarvestSetup } from '../src/harvest-setup.js';
import { runCliCommand } from '../src/worker-process.js';

const A = `alpha-${uniqueSuffix()}`;
const B = `beta-${uniqueSuffix()}`;
const SHARED = `shared-${uniqueSuffix()}`;
const N = 100;
let h: HarvestSetup;
let betaRunId: string;

beforeAll(async () => {
  h = await startHarvestSetup({ tenantId: A });
  h.feeds.set('/a.csv', { body: csvFeed(N, { price: (i) => i + 1 }) });
  h.feeds.set('/b.csv', { body: csvFeed(N, { price: (i) => i + 1000 }) });
  await h.addSupplier({ id: SHARED, feedUrl: h.feeds.url('/a.csv'), format: 'csv' }, A);
  await h.addSupplier({ id: SHARED, feedUrl: h.feeds.url('/b.csv'), format: 'csv' }, B);
  await h.addSupplier({ id: 'beta-only', feedUrl: h.feeds.url('/b.csv'), format: 'csv' }, B);
  expect(await h.harvest(SHARED, { tenantId: A })).toMatchObject({ status: 'completed', created: N });
  const beta = await h.harvest(SHARED, { tenantId: B });
  expect(beta).toMatchObject({ status: 'completed', created: N });
  betaRunId = beta.harvestRunId;
  expect(await h.harvest('beta-only', { tenantId: B })).toMatchObject({ status: 'completed', created: N });
});
afterAll(async () => {
  await h?.stop();
});

/** Tenant B's products as they are now, to compare after A acted. */
async function betaSnapshot(): Promise<string> {
  const rows = await h.catalog.query<{ row: string }>(
    `select concat_ws('|', supplier_id, external_id, price, content_hash, missing_since, updated_at) as row
     from dealer_products where tenant_id = $1 order by supplier_id, external_id`,
    [B],
  );
  expect(rows).toHaveLength(2 * N);
  return rows.map((r) => r.row).join('\n');
}

describe('at the store', () => {
  it("tenant A's calls neither see nor change tenant B's rows", async () => {
    const before = await betaSnapshot();
    const betaIds = (await h.catalog.query<{ id: string }>('select id::text as id from dealer_products where tenant_id = $1 limit 10', [B])).map((r) => r.id);
    expect(await getProductsByIds(h.catalog, A, betaIds)).toEqual([]);
    const seen = await getProductsByExternalIds(h.catalog, { tenantId: A, supplierId: SHARED, externalIds: ['sku-1', 'sku-2'] });
    expect(seen.map((p) => [p.tenantId, p.price])).toEqual([
      [A, '2.0000'],
      [A, '3.0000'],
    ]);

    // B's run id in A's hands: refused, not applied to either tenant.
    const fields = { externalId: 'sku-1', name: 'Hijacked', price: '0.01', currency: 'EUR' };
    const products = [{ ...fields, contentHash: productContentHash(fields) }];
    await expect(upsertProductBatch(h.catalog, { tenantId: A, supplierId: SHARED, harvestRunId: betaRunId, products })).rejects.toBeInstanceOf(HarvestRunNotFoundError);
    await expect(markMissingProducts(h.catalog, { tenantId: A, supplierId: SHARED, harvestRunId: betaRunId, force: true })).rejects.toBeInstanceOf(HarvestRunNotFoundError);
    await expect(finishHarvestRun(h.catalog, A, betaRunId, { status: 'failed' })).rejects.toBeInstanceOf(HarvestRunNotFoundError);
    await expect(removeSupplier(h.catalog, A, 'beta-only', { withProducts: true })).rejects.toBeInstanceOf(SupplierNotFoundError);

    expect(await betaSnapshot()).toBe(before);
    const [run] = await h.catalog.query<{ status: string }>('select status from harvest_runs where id = $1', [betaRunId]);
    expect(run?.status).toBe('completed');
  });
});

describe('through workflows', () => {
  it("a harvest for tenant A touches only A's products, even with B's supplier id", async () => {
    const before = await betaSnapshot();
    // A's feed shrinks by 20 and changes every price: A's rows change and 20 go missing; B's stay as they are.
    h.feeds.set('/a.csv', { body: csvFeed(N - 20, { price: (i) => i + 7 }) });
    expect(await h.harvest(SHARED, { tenantId: A })).toMatchObject({ status: 'completed', updated: N - 20, markedMissing: 20 });
    expect(await h.count(SHARED, { tenantId: A, missing: true })).toBe(20);

    // A supplier only B has: a harvest acting for A (explicitly, or by the worker's default tenant) finds nothing.
    for (const input of [{ tenantId: A }, {}]) {
      const failure = await rootFailure(h.harvest('beta-only', input));
      expect(failure.type).toBe('SupplierNotFound');
    }
    expect(await betaSnapshot()).toBe(before);
  });

  it("schedules of two tenants with the same supplier id are two schedules, each harvesting its own tenant's feed", async () => {
    const env = { ...h.env, TEMPORAL_NAMESPACE: 'default' };
    for (const tenant of [A, B]) {
      const created = await runCliCommand(['schedules', 'create', '--tenant-id', tenant], env);
      expect(created.code, created.output).toBe(0);
    }
    const manager = new ScheduleManager(h.client);
    try {
      const harvestOf = (list: ScheduleInfo[]) => list.filter((s) => s.workflowType === 'HarvestWorkflow').map((s) => s.scheduleId).sort();
      // New schedules reach the listing through the visibility store, a moment after they are made.
      const [ofA, ofB] = await waitFor(
        async () => {
          const lists = [await manager.list({ tenantId: A }), await manager.list({ tenantId: B })] as const;
          return harvestOf(lists[0]).length >= 1 && harvestOf(lists[1]).length >= 2 ? lists : undefined;
        },
        'the schedules of both tenants to be listed',
        20_000,
      );
      expect(harvestOf(ofA)).toHaveLength(1);
      expect(harvestOf(ofB)).toHaveLength(2);
      const idA = harvestOf(ofA)[0]!;
      const idB = harvestOf(ofB).find((id) => id !== harvestOf(ofA)[0] && id.includes(SHARED))!;
      expect(idB).toBeDefined();
      expect(idA).not.toBe(idB);
      for (const [id, tenant] of [[idA, A], [idB, B]] as const) {
        const description = await h.client.schedule.getHandle(id).describe();
        const action = description.action as { args?: { tenantId?: string; supplierId?: string }[] };
        expect(action.args?.[0]).toMatchObject({ tenantId: tenant, supplierId: SHARED });
      }

      // Triggered, each schedule harvests its own tenant's feed.
      const runsOf = async (tenant: string) =>
        (await h.catalog.query<{ n: number }>(`select count(*)::int as n from harvest_runs where tenant_id = $1 and supplier_id = $2 and status <> 'running'`, [tenant, SHARED]))[0]!.n;
      const [runsA, runsB] = [await runsOf(A), await runsOf(B)];
      h.feeds.set('/b.csv', { body: csvFeed(N, { price: (i) => i + 2000 }) });
      for (const id of [idA, idB]) expect((await runCliCommand(['schedules', 'trigger', id], env)).code).toBe(0);
      await waitFor(async () => ((await runsOf(A)) > runsA && (await runsOf(B)) > runsB ? true : undefined), 'both scheduled harvests', 120_000);
      const [priceA] = await getProductsByExternalIds(h.catalog, { tenantId: A, supplierId: SHARED, externalIds: ['sku-1'] });
      const [priceB] = await getProductsByExternalIds(h.catalog, { tenantId: B, supplierId: SHARED, externalIds: ['sku-1'] });
      expect(priceA?.price).toBe('8.0000');
      expect(priceB?.price).toBe('2001.0000');
    } finally {
      for (const tenant of [A, B]) for (const schedule of await manager.list({ tenantId: tenant, withStatus: false })) await manager.delete(schedule.scheduleId);
    }
  });
});

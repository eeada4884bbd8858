// Load: 50 suppliers harvested at once by two worker processes with
// WORKER_MAX_CONCURRENT=10. All complete with exact counts; the wall time and
// each worker's peak memory are printed, not asserted (the machine is shared).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvFeed, mib } from '../src/feeds.js';
import { startHarvestSetup, type HarvestSetup } from '../src/harvest-setup.js';

const SUPPLIERS = 50;
const PRODUCTS = Number(process.env.RELIABILITY_LOAD_PRODUCTS ?? 2_000);
let h: HarvestSetup;
const ids = Array.from({ length: SUPPLIERS }, (_, i) => `load-${String(i + 1).padStart(2, '0')}`);

beforeAll(async () => {
  h = await startHarvestSetup({ workers: 2, workerEnv: { WORKER_MAX_CONCURRENT: '10' } });
  for (const [i, id] of ids.entries()) {
    // Each supplier its own products, prices and feed.
    h.feeds.set(`/${id}.csv`, { body: csvFeed(PRODUCTS, { prefix: id, price: (n) => n + i }) });
    await h.addSupplier({ id, feedUrl: h.feeds.url(`/${id}.csv`), format: 'csv' });
  }
});
afterAll(async () => {
  await h?.stop();
});

describe(`${SUPPLIERS} suppliers harvested concurrently by two workers (WORKER_MAX_CONCURRENT=10)`, () => {
  it('all complete with exact counts', async () => {
    const started = Date.now();
    const results = await Promise.all(ids.map((id) => h.harvest(id)));
    const seconds = (Date.now() - started) / 1000;
    for (const [i, result] of results.entries()) {
      expect(result, ids[i]).toMatchObject({ status: 'completed', supplierId: ids[i], created: PRODUCTS, updated: 0, unchanged: 0, invalid: 0 });
    }
    const rows = await h.catalog.query<{ supplier_id: string; n: number }>(
      'select supplier_id, count(*)::int as n from dealer_products where tenant_id = $1 group by supplier_id order by supplier_id',
      [h.tenantId],
    );
    expect(rows.map((r) => [r.supplier_id, r.n])).toEqual(ids.map((id) => [id, PRODUCTS]));
    for (const worker of h.workers) expect(worker.child.exitCode).toBeNull();

    const peaks = h.workers.map((worker) => `pid ${worker.pid} peak RSS ${mib(worker.peakRss())}`);
    process.stdout.write(
      `[reliability] load: ${SUPPLIERS} suppliers x ${PRODUCTS} products (${SUPPLIERS * PRODUCTS} in all) in ${seconds.toFixed(1)} s ` +
        `(${Math.round((SUPPLIERS * PRODUCTS) / seconds)} products/s); ${peaks.join('; ')}\n`,
    );
  });
});

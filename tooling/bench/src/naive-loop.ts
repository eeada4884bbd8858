// The naive loop of the original design: one upsert round trip per product,
// each awaited before the next, on a sample; the rate is extrapolated.
import { createHash } from 'node:crypto';
import type { Sql } from 'postgres';
import { product } from './feeds.js';
import { createFloorTable } from './sql-floor.js';

export const NAIVE_TABLE = 'bench_naive_products';

export interface NaiveTiming {
  sample: number;
  seconds: number;
  productsPerSecond: number;
}

export async function measureNaiveLoop(sql: Sql, sample: number): Promise<NaiveTiming> {
  await createFloorTable(sql, NAIVE_TABLE);
  const started = performance.now();
  for (let i = 1; i <= sample; i++) {
    const p = product(i);
    const hash = createHash('sha256').update(JSON.stringify([p.name, p.brand, p.category, p.price, p.currency])).digest('hex');
    await sql`
      insert into ${sql(NAIVE_TABLE)} as d (tenant_id, supplier_id, external_id, name, vendor, category, price, currency, content_hash)
      values ('default', 'naive', ${p.sku}, ${p.name}, ${p.brand}, ${p.category}, ${p.price}::numeric, ${p.currency}, ${hash})
      on conflict (tenant_id, supplier_id, external_id) do update set
        name = excluded.name, vendor = excluded.vendor, category = excluded.category, price = excluded.price,
        currency = excluded.currency, content_hash = excluded.content_hash, missing_since = null, last_seen_at = now()`;
  }
  const seconds = (performance.now() - started) / 1000;
  await sql.unsafe(`drop table ${NAIVE_TABLE}`);
  return { sample, seconds, productsPerSecond: sample / seconds };
}

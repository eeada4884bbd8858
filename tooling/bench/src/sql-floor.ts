// The SQL floor: COPY of the equivalent CSV into a staging table plus one
// INSERT … SELECT … ON CONFLICT DO UPDATE into a copy of dealer_products (same
// columns, unique key, indexes and checks), on the same PostgreSQL as the worker.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Sql } from 'postgres';

export const FLOOR_TABLE = 'bench_floor_products';

export interface FloorTiming {
  products: number;
  copySeconds: number;
  mergeSeconds: number;
  seconds: number;
  /** CPU time of the PostgreSQL server over the same span, when counted. */
  postgresCpuSeconds?: number;
}

export async function createFloorTable(sql: Sql, table = FLOOR_TABLE): Promise<void> {
  await sql.unsafe(`drop table if exists ${table}`);
  await sql.unsafe(`create table ${table} (like dealer_products including all)`);
}

/**
 * Loads the CSV into an empty copy of dealer_products; the time counts from COPY to commit.
 * `postgresCpu` reads the server's CPU seconds so far (see cpu-time.ts).
 */
export async function measureFloor(sql: Sql, csvPath: string, products: number, postgresCpu?: () => number): Promise<FloorTiming> {
  await sql.unsafe(`truncate ${FLOOR_TABLE}`);
  await sql.unsafe('vacuum analyze ' + FLOOR_TABLE);
  const cpuAtStart = postgresCpu?.();
  const timing = await sql.begin(async (tx) => {
    const started = performance.now();
    await tx.unsafe('create temp table bench_staging (sku text, name text, price text, currency text, brand text, category text) on commit drop');
    const copy = await tx.unsafe("copy bench_staging from stdin with (format csv, delimiter ';', header true)").writable();
    await pipeline(createReadStream(csvPath), copy);
    const copied = performance.now();
    // The same work per row as the worker's statement: casts, a content hash, every column set on conflict.
    await tx.unsafe(`
      insert into ${FLOOR_TABLE} as d (tenant_id, supplier_id, external_id, name, vendor, category, price, currency, content_hash,
                                       enrichment_status, first_seen_at, last_seen_at, updated_at)
      select 'default', 'floor', s.sku, s.name, s.brand, s.category, s.price::numeric, s.currency,
             md5(concat_ws(';', s.name, s.price, s.currency, s.brand, s.category)), 'pending', now(), now(), now()
      from bench_staging s
      on conflict (tenant_id, supplier_id, external_id) do update set
        name = excluded.name, vendor = excluded.vendor, category = excluded.category, price = excluded.price,
        currency = excluded.currency, content_hash = excluded.content_hash, missing_since = null, last_seen_at = excluded.last_seen_at`);
    const merged = performance.now();
    return { products, copySeconds: (copied - started) / 1000, mergeSeconds: (merged - copied) / 1000, seconds: (merged - started) / 1000 };
  });
  // Read after the commit: the floor's work is then all done.
  return cpuAtStart === undefined ? timing : { ...timing, postgresCpuSeconds: postgresCpu!() - cpuAtStart };
}

import { DryRunWriteError, HarvestRunNotFoundError } from './errors.js';
import { isRunId } from './harvest-runs.js';
import type { Catalog } from './open-catalog.js';
import { PreparedProductBatch, prepareProductBatch, type ProductColumns, type ProductInput } from './product-input.js';
import type { StoreProgress } from './schema.js';
import { textArrayLiteral } from './text-array-literal.js';
import { requireTenant } from './supplier-input.js';

export interface UpsertProductBatchInput {
  tenantId: string;
  supplierId: string;
  /** The run storing the batch: it must belong to this tenant and supplier and not be a dry run. */
  harvestRunId: string;
  /**
   * 1,000-5,000 products per batch suit both PostgreSQL and PGlite; any size works. Either the products
   * or what `prepareProductBatch` made of them.
   */
  products: readonly ProductInput[] | PreparedProductBatch;
  /**
   * Saved as the run's `store_progress` by the same statement as the rows, so the checkpoint never
   * runs ahead of them. Pass the totals before this batch: the statement adds this batch's
   * created, updated and unchanged counts.
   */
  progress?: StoreProgress;
  /**
   * For batches written on several connections at once, instead of `progress`: the feed records this
   * batch holds, `after` < record <= `through` (1-based), saved in the run's checkpoint by the same
   * statement as the rows, whatever order the batches commit in. `recordsStored` advances over every
   * range that joins it and the counts of those ranges are added to its totals; a range that does not
   * join it yet waits in `ahead`. `checkpoint` holds further keys to save with it (a feed hash).
   */
  range?: { after: number; through: number; checkpoint?: Record<string, unknown> };
  /**
   * The supplier had no products when the run started and this run is the only writer: products are
   * inserted without looking each one up first (a first import). A product that exists after all fails
   * the batch on the unique key, and nothing of it is written; store it again without this flag.
   */
  supplierWasEmpty?: boolean;
  /**
   * External ids of this supplier's products that `findUnchangedProducts` reported unchanged, left out of
   * `products`: they are recorded as seen by the run and counted as unchanged without being sent again.
   */
  unchanged?: readonly string[];
}

export interface UpsertProductBatchResult {
  created: number;
  /** Existing products whose content hash changed. */
  updated: number;
  /** Existing products with the same content hash (recorded as seen in this run, not rewritten). */
  unchanged: number;
  /** Of the updated and unchanged ones, those that came back from quarantine (`missing_since` cleared). */
  reactivated: number;
  /** Products dropped because a later one in the batch had the same external id. */
  duplicates: number;
  /** Ids of the created products (decimal strings), for starting their enrichment. */
  createdIds: string[];
}

/** Columns a classifier reads: only a change to these puts an enriched product back to `pending`. */
export const ENRICHMENT_INPUT_COLUMNS = ['name', 'description', 'vendor', 'category', 'category_id', 'barcode', 'attributes'] as const;

const COLUMNS: readonly (keyof ProductColumns)[] = [
  'externalId', 'name', 'description', 'vendor', 'category', 'categoryId', 'price', 'currency', 'oldPrice',
  'stock', 'available', 'url', 'images', 'barcode', 'attributes', 'contentHash',
];
const CONTENT = ['name', 'description', 'vendor', 'category', 'category_id', 'price', 'currency', 'old_price', 'stock', 'available', 'url', 'images', 'barcode', 'attributes', 'content_hash'];
const row = (alias: string, columns: readonly string[]): string => `(${columns.map((column) => `${alias}.${column}`).join(', ')})`;
// The batch arrives as text; these columns are cast where they are written.
const CASTS: Record<string, string> = { price: '::numeric', old_price: '::numeric', stock: '::integer', available: '::boolean', images: '::jsonb', attributes: '::jsonb' };
// In an UPDATE … FROM, `d` is the row as it was and `i` the batch's values.
const ENRICHMENT_INPUT_CHANGED = `${row('d', ENRICHMENT_INPUT_COLUMNS)} is distinct from (${ENRICHMENT_INPUT_COLUMNS.map((column) => `i.${column}${CASTS[column] ?? ''}`).join(', ')})`;
const ifRequeued = (value: string, column: string): string => `case when ${ENRICHMENT_INPUT_CHANGED} then ${value} else d.${column} end`;

/*
 * One statement per batch: the batch arrives as one text array per column ($4..$19, $24), so the number of
 * bind parameters is fixed (multi-row VALUES would hit the 65,535 limit) and the statement is prepared once.
 * Each array is sent as one text literal made by textArrayLiteral (as are those of the look-ups below),
 * cast to text[] here. Parameters:
 * $1 tenant, $2 supplier, $3 run, $20 progress, $21 unchanged ids, ($22, $23] the range of records.
 */

const RUN = `with run as (
  -- Locking the supplier row (key share) keeps removeSupplier from deleting it under this batch.
  select r.dry_run from harvest_runs r join suppliers s on s.tenant_id = r.tenant_id and s.id = r.supplier_id
  where r.tenant_id = $1 and r.supplier_id = $2 and r.id = $3::uuid
  for key share of s
),`;

const BATCH = `unnest($4::text::text[], $5::text::text[], $6::text::text[], $7::text::text[], $8::text::text[], $9::text::text[],
              $10::text::text[], $11::text::text[], $12::text::text[], $13::text::text[], $14::text::text[], $15::text::text[],
              $16::text::text[], $17::text::text[], $18::text::text[], $19::text::text[], $24::text::text[])
    as i(external_id, name, description, vendor, category, category_id, price, currency, old_price,
         stock, available, url, images, barcode, attributes, content_hash, source_hash)`;

const INSERT_INTO = `insert into dealer_products (tenant_id, supplier_id, external_id, ${CONTENT.join(', ')}, source_hash,
                               enrichment_status, last_seen_run_id, first_seen_at, last_seen_at, updated_at)
  select $1, $2, i.external_id, ${CONTENT.map((column) => `i.${column}${CASTS[column] ?? ''}`).join(', ')}, i.source_hash, 'pending', $3::uuid, now(), now(), now()`;

// Both statements end with these, after a CTE `counted` (created, updated, unchanged).
const CHECKPOINT = `-- The checkpoint holds the totals including this batch and is written by the statement that
-- writes the rows: a retry resuming from it counts every row exactly once.
-- (A data-modifying CTE runs whether or not it is referenced.) Either this one ($20) or the next ($22).
progress as (
  update harvest_runs set store_progress = $20::jsonb || jsonb_build_object(
      'created', coalesce(($20::jsonb->>'created')::int, 0) + (select created from counted),
      'updated', coalesce(($20::jsonb->>'updated')::int, 0) + (select updated from counted),
      'unchanged', coalesce(($20::jsonb->>'unchanged')::int, 0) + (select unchanged from counted))
  where $20::jsonb is not null and $22::bigint is null and tenant_id = $1 and supplier_id = $2 and id = $3::uuid and not dry_run
  returning id
),
-- A batch stored on one of several connections adds its range ($22, $23] to the checkpoint. Concurrent
-- batches update the run row one after the other (row lock), each on the version the other committed.
-- The ranges beyond recordsStored, sorted, join it up to the first gap; the rest wait in "ahead".
stored_range as (
  update harvest_runs r set store_progress = (
    select coalesce(r.store_progress, '{}'::jsonb) || coalesce($20::jsonb, '{}'::jsonb) || jsonb_build_object(
        'recordsStored', coalesce(max(m.through) filter (where m.joined), coalesce((r.store_progress->>'recordsStored')::bigint, 0)),
        'created', coalesce((r.store_progress->>'created')::bigint, 0) + coalesce(sum(m.created) filter (where m.joined), 0),
        'updated', coalesce((r.store_progress->>'updated')::bigint, 0) + coalesce(sum(m.updated) filter (where m.joined), 0),
        'unchanged', coalesce((r.store_progress->>'unchanged')::bigint, 0) + coalesce(sum(m.unchanged) filter (where m.joined), 0),
        'batches', coalesce((r.store_progress->>'batches')::bigint, 0) + coalesce(sum(m.batches) filter (where m.joined), 0),
        'ahead', coalesce(jsonb_agg(jsonb_build_object('after', m.after, 'through', m.through, 'created', m.created,
                                                       'updated', m.updated, 'unchanged', m.unchanged, 'batches', m.batches)
                                    order by m.after) filter (where not m.joined), '[]'::jsonb))
    from (
      select g.*, bool_and(not g.gap) over (order by g.after) as joined
      from (
        select s.*, s.after <> lag(s.through, 1, coalesce((r.store_progress->>'recordsStored')::bigint, 0)) over (order by s.after) as gap
        from (
          select (e->>'after')::bigint as after, (e->>'through')::bigint as through, (e->>'created')::bigint as created,
                 (e->>'updated')::bigint as updated, (e->>'unchanged')::bigint as unchanged, (e->>'batches')::bigint as batches
          from jsonb_array_elements(coalesce(r.store_progress->'ahead', '[]'::jsonb)) e
          union all
          select $22::bigint, $23::bigint, c.created, c.updated, c.unchanged, 1 from counted c
        ) s
      ) g
    ) m
  )
  where $22::bigint is not null and tenant_id = $1 and supplier_id = $2 and id = $3::uuid and not dry_run
  returning id
)`;

/*
 * Each product is first looked up by its key (a LATERAL subquery with LIMIT, so it stays one index probe
 * per product whatever PostgreSQL estimates for a supplier it has no statistics on). That one lookup
 * decides everything: a new product is inserted, a changed or quarantined one updated, and an unchanged
 * one left alone (no new row version, no index writes) and only recorded in harvest_run_seen, which is
 * what marking missing compares with besides last_seen_run_id. The counts come from the same lookup.
 * Two runs inserting the same new product at once make one of them fail on the unique key; its retry
 * finds the product and updates it.
 */
const UPSERT_SQL = `
${RUN}
input as (
  -- Text as it came; the casts are done only for the rows written (most of a re-harvest is not).
  select i.*, u.id as existing_id, u.content_hash as old_hash, u.source_hash as old_source, u.missing_since is not null as was_missing
  from ${BATCH}
  left join lateral (
    select id, content_hash, source_hash, missing_since from dealer_products
    where tenant_id = $1 and supplier_id = $2 and external_id = i.external_id limit 1
  ) u on true
),
inserted as (
  ${INSERT_INTO}
  from input i
  where i.existing_id is null and (select dry_run from run) = false
  returning id
),
updated as (
  update dealer_products d set
    ${CONTENT.map((column) => `${column} = i.${column}${CASTS[column] ?? ''}`).join(', ')},
    source_hash = i.source_hash,
    enrichment_status = ${ifRequeued(`'pending'`, 'enrichment_status')},
    claimed_by = ${ifRequeued('null', 'claimed_by')},
    claim_expires_at = ${ifRequeued('null', 'claim_expires_at')},
    updated_at = now(),
    missing_since = null,
    last_seen_run_id = $3::uuid,
    last_seen_at = now()
  from input i
  where d.id = i.existing_id and (i.old_hash is distinct from i.content_hash or i.was_missing)
    and (select dry_run from run) = false
  returning d.id
),
-- Same content read from a record whose source hash is new (or was never stored): only the hash is
-- written, so the next run can recognize the record without reading it in full.
resourced as (
  update dealer_products d set source_hash = i.source_hash
  from input i
  where d.id = i.existing_id and i.old_hash = i.content_hash and not i.was_missing
    and i.source_hash is not null and i.old_source is distinct from i.source_hash
    and (select dry_run from run) = false
),
seen as (
  insert into harvest_run_seen (tenant_id, harvest_run_id, external_ids)
  select $1, $3::uuid, e.ids from (
    select array(select i.external_id from input i
                 where i.existing_id is not null and i.old_hash = i.content_hash and not i.was_missing) || $21::text::text[] as ids
  ) e
  where cardinality(e.ids) > 0 and (select dry_run from run) = false
),
counted as (
  select
    count(*) filter (where existing_id is null)::int as created,
    count(*) filter (where existing_id is not null and old_hash is distinct from content_hash)::int as updated,
    (count(*) filter (where existing_id is not null and old_hash = content_hash) + cardinality($21::text::text[]))::int as unchanged,
    count(*) filter (where was_missing)::int as reactivated,
    (select coalesce(array_agg(id::text order by id), '{}') from inserted) as created_ids
  from input
),
${CHECKPOINT}
select (select dry_run from run) as dry_run, c.created, c.updated, c.unchanged, c.reactivated, c.created_ids
from counted c`;

/*
 * A first import (supplierWasEmpty): every product is new, so nothing is looked up, and nothing of the
 * batch is kept as a CTE to be counted from; a product that exists after all fails the batch on the
 * unique key. PostgreSQL spends less per product than on the statement above (see BENCHMARKS.md).
 */
const FIRST_IMPORT_SQL = `
${RUN}
inserted as (
  ${INSERT_INTO}
  from ${BATCH}
  where (select dry_run from run) = false
  returning id
),
seen as (
  insert into harvest_run_seen (tenant_id, harvest_run_id, external_ids)
  select $1, $3::uuid, $21::text::text[] where cardinality($21::text::text[]) > 0 and (select dry_run from run) = false
),
counted as (
  select count(*)::int as created, 0 as updated, cardinality($21::text::text[]) as unchanged, 0 as reactivated,
         coalesce(array_agg(id::text order by id), '{}') as created_ids
  from inserted
),
${CHECKPOINT}
select (select dry_run from run) as dry_run, c.created, c.updated, c.unchanged, c.reactivated, c.created_ids
from counted c`;

interface UpsertRow {
  dry_run: boolean | null;
  created: number;
  updated: number;
  unchanged: number;
  reactivated: number;
  created_ids: string[];
}

/**
 * Stores a batch of a supplier's products in one statement: new ones are created, changed ones
 * (by content hash) updated, quarantined ones brought back, and every one recorded as seen by this
 * run (`harvest_run_seen`). Unchanged products are not rewritten. A change to what a classifier reads
 * resets enrichment to `pending`.
 *
 * @throws {InvalidProductError} for a product that cannot be stored; nothing of the batch is written.
 * @throws {HarvestRunNotFoundError} when the run is not this tenant's and supplier's.
 * @throws {DryRunWriteError} when the run is a dry run.
 */
export async function upsertProductBatch(catalog: Catalog, input: UpsertProductBatchInput): Promise<UpsertProductBatchResult> {
  const { tenantId, supplierId, harvestRunId } = input;
  requireTenant(tenantId);
  if (!isRunId(harvestRunId)) throw new HarvestRunNotFoundError(tenantId, harvestRunId);
  const batch = input.products instanceof PreparedProductBatch ? input.products : prepareProductBatch(input.products);
  const { range } = input;
  if (range && (!Number.isInteger(range.after) || !Number.isInteger(range.through) || range.after < 0 || range.through < range.after))
    throw new RangeError(`range must be whole record numbers with 0 <= after <= through, got ${JSON.stringify({ after: range.after, through: range.through })}`);
  const checkpoint = range ? (range.checkpoint ?? {}) : input.progress;
  const params = [
    tenantId, supplierId, harvestRunId, ...COLUMNS.map((column) => textArrayLiteral(batch.columns[column])),
    checkpoint ? JSON.stringify(checkpoint) : null, textArrayLiteral(input.unchanged ?? []),
    range?.after ?? null, range?.through ?? null, textArrayLiteral(batch.columns.sourceHash),
  ];
  const [result] = await catalog.query<UpsertRow>(input.supplierWasEmpty === true ? FIRST_IMPORT_SQL : UPSERT_SQL, params);
  if (!result || result.dry_run === null) throw new HarvestRunNotFoundError(tenantId, harvestRunId, supplierId);
  if (result.dry_run) throw new DryRunWriteError(tenantId, harvestRunId);
  return {
    created: result.created,
    updated: result.updated,
    unchanged: result.unchanged,
    reactivated: result.reactivated,
    duplicates: batch.duplicates,
    createdIds: result.created_ids,
  };
}

// Positions (1-based) of the products whose stored copy has the same hash (content or source) and is not quarantined.
const unchangedSql = (column: 'content_hash' | 'source_hash'): string => `
select coalesce(array_agg(i.n order by i.n), '{}') as unchanged
from unnest($3::text::text[], $4::text::text[]) with ordinality as i(external_id, hash, n)
join lateral (
  select ${column} as hash, missing_since from dealer_products
  where tenant_id = $1 and supplier_id = $2 and external_id = i.external_id limit 1
) u on true
where u.hash = i.hash and u.missing_since is null`;
const UNCHANGED_CONTENT_SQL = unchangedSql('content_hash');
const UNCHANGED_SOURCE_SQL = unchangedSql('source_hash');

async function unchangedPositions(catalog: Catalog, sql: string, tenantId: string, supplierId: string, ids: string[], hashes: string[]): Promise<number[]> {
  requireTenant(tenantId);
  if (ids.length !== hashes.length) throw new RangeError(`${ids.length} external ids but ${hashes.length} hashes`);
  if (ids.length === 0) return [];
  const [row] = await catalog.query<{ unchanged: (number | string)[] }>(sql, [tenantId, supplierId, textArrayLiteral(ids), textArrayLiteral(hashes)]);
  return (row?.unchanged ?? []).map((position) => Number(position) - 1);
}

/**
 * Which of these products are stored already with the same content and not in quarantine: a read-only
 * look-up by key that sends only each product's external id and content hash. A caller storing a large
 * feed sends the others to `upsertProductBatch` and passes these as `unchanged`, so an unchanged product
 * is never laid out and sent in full.
 *
 * @returns the unchanged products' indexes in `products`, ascending.
 */
export async function findUnchangedProducts(
  catalog: Catalog,
  input: { tenantId: string; supplierId: string; products: readonly Pick<ProductInput, 'externalId' | 'contentHash'>[] },
): Promise<number[]> {
  const ids = input.products.map((product) => product.externalId);
  const hashes = input.products.map((product) => product.contentHash);
  return unchangedPositions(catalog, UNCHANGED_CONTENT_SQL, input.tenantId, input.supplierId, ids, hashes);
}

/**
 * `findUnchangedProducts` by source hash (see `ProductInput.sourceHash`): which of these external ids are
 * stored, not in quarantine, with the content read from a record of the same source hash. A reader
 * asks before reading the records in full, and passes these to `upsertProductBatch` as `unchanged`.
 *
 * @returns indexes into `externalIds`, ascending.
 */
export async function findUnchangedSources(
  catalog: Catalog,
  input: { tenantId: string; supplierId: string; externalIds: string[]; sourceHashes: string[] },
): Promise<number[]> {
  return unchangedPositions(catalog, UNCHANGED_SOURCE_SQL, input.tenantId, input.supplierId, input.externalIds, input.sourceHashes);
}

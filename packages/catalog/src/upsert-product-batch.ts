import { DryRunWriteError, HarvestRunNotFoundError } from './errors.js';
import { isRunId } from './harvest-runs.js';
import type { Catalog } from './open-catalog.js';
import { prepareBatch, type ProductColumns, type ProductInput } from './product-input.js';
import type { StoreProgress } from './schema.js';
import { requireTenant } from './supplier-input.js';

export interface UpsertProductBatchInput {
  tenantId: string;
  supplierId: string;
  /** The run storing the batch: it must belong to this tenant and supplier and not be a dry run. */
  harvestRunId: string;
  /** 1,000-5,000 products per batch suit both PostgreSQL and PGlite; any size works. */
  products: readonly ProductInput[];
  /**
   * Saved as the run's `store_progress` by the same statement as the rows, so the checkpoint never
   * runs ahead of them. Pass the totals before this batch: the statement adds this batch's
   * created, updated and unchanged counts.
   */
  progress?: StoreProgress;
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
const ENRICHMENT_INPUT_CHANGED = `${row('d', ENRICHMENT_INPUT_COLUMNS)} is distinct from ${row('excluded', ENRICHMENT_INPUT_COLUMNS)}`;
const ifRequeued = (value: string, column: string): string => `case when ${ENRICHMENT_INPUT_CHANGED} then ${value} else d.${column} end`;

/*
 * One statement per batch: the batch arrives as one text array per column ($4..$19), so the number of
 * bind parameters is fixed (multi-row VALUES would hit the 65,535 limit) and the statement is prepared once.
 * An unchanged product that is not in quarantine is left alone (no new row version, no index writes): the
 * run records what it saw in harvest_run_seen instead, which is what marking missing compares with. New,
 * changed and quarantined products are upserted. RETURNING classifies them: `xmax = 0` marks an insert,
 * and for the others a subquery by primary key reads the row as it was before the statement (a statement
 * never sees its own writes), which gives the old content hash without a lookup whose plan could pick the
 * wrong index.
 */
const UPSERT_SQL = `
with run as (
  select dry_run from harvest_runs where tenant_id = $1 and supplier_id = $2 and id = $3::uuid
),
input as (
  select * from unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                       $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[])
    as i(external_id, name, description, vendor, category, category_id, price, currency, old_price,
         stock, available, url, images, barcode, attributes, content_hash)
),
upserted as (
  insert into dealer_products as d (tenant_id, supplier_id, external_id, ${CONTENT.join(', ')},
                                    enrichment_status, last_seen_run_id, first_seen_at, last_seen_at, updated_at)
  select $1, $2, i.external_id, i.name, i.description, i.vendor, i.category, i.category_id, i.price::numeric, i.currency,
         i.old_price::numeric, i.stock::integer, i.available::boolean, i.url, i.images::jsonb, i.barcode, i.attributes::jsonb,
         i.content_hash, 'pending', $3::uuid, now(), now(), now()
  from input i
  where (select dry_run from run) = false
    -- A scalar subquery, not NOT EXISTS: an anti-join would be planned on estimates that rarely know a
    -- new supplier and can end up comparing every row of the batch with every product of the supplier.
    and (select u.content_hash from dealer_products u
         where u.tenant_id = $1 and u.supplier_id = $2 and u.external_id = i.external_id and u.missing_since is null)
        is distinct from i.content_hash
  on conflict (tenant_id, supplier_id, external_id) do update set
    ${CONTENT.map((column) => `${column} = excluded.${column}`).join(', ')},
    enrichment_status = ${ifRequeued(`'pending'`, 'enrichment_status')},
    claimed_by = ${ifRequeued('null', 'claimed_by')},
    claim_expires_at = ${ifRequeued('null', 'claim_expires_at')},
    updated_at = now(),
    missing_since = null,
    last_seen_run_id = excluded.last_seen_run_id,
    last_seen_at = excluded.last_seen_at
  returning (d.xmax = 0) as inserted,
    -- bit 1: the content hash changed; bit 2: it was quarantined. Null: inserted, or not visible before
    -- (inserted concurrently by another transaction, which then counts as updated).
    case when d.xmax <> 0 then
      (select (before.content_hash is distinct from d.content_hash)::int + 2 * (before.missing_since is not null)::int
       from dealer_products before where before.id = d.id) end as prior,
    case when d.xmax = 0 then d.id end as created_id
),
seen as (
  insert into harvest_run_seen (tenant_id, harvest_run_id, external_id)
  select $1, $3::uuid, i.external_id from input i where (select dry_run from run) = false
  on conflict do nothing -- the same product stored twice in one run (by a caller other than the harvester)
),
counted as (
  select
    count(*) filter (where inserted)::int as created,
    count(*) filter (where not inserted and (prior is null or prior in (1, 3)))::int as updated,
    ((select count(*) from input) - count(*) filter (where inserted or prior is null or prior in (1, 3)))::int as unchanged,
    count(*) filter (where not inserted and prior >= 2)::int as reactivated,
    coalesce(array_agg(created_id::text order by created_id) filter (where inserted), '{}') as created_ids
  from upserted
),
-- The checkpoint holds the totals including this batch and is written by the statement that
-- writes the rows: a retry resuming from it counts every row exactly once.
-- (A data-modifying CTE runs whether or not it is referenced.)
progress as (
  update harvest_runs set store_progress = $20::jsonb || jsonb_build_object(
      'created', coalesce(($20::jsonb->>'created')::int, 0) + (select created from counted),
      'updated', coalesce(($20::jsonb->>'updated')::int, 0) + (select updated from counted),
      'unchanged', coalesce(($20::jsonb->>'unchanged')::int, 0) + (select unchanged from counted))
  where $20::jsonb is not null and tenant_id = $1 and supplier_id = $2 and id = $3::uuid and not dry_run
  returning id
)
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
  const batch = prepareBatch(input.products);
  const params = [tenantId, supplierId, harvestRunId, ...COLUMNS.map((column) => batch.columns[column]), input.progress ? JSON.stringify(input.progress) : null];
  const [result] = await catalog.query<UpsertRow>(UPSERT_SQL, params);
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

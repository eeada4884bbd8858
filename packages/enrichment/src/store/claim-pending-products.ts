import type { Catalog } from '@contextworker/catalog';
import type { ProductForClassification } from '../classifiers/classifier.js';
import { toProductForClassification, type ProductRow } from './product-row.js';

export interface ClaimPendingProductsInput {
  tenantId: string;
  /** Who holds the claim (a workflow id); only the same claimant may write the results. */
  claimant: string;
  limit: number;
  /** How long the claim holds; after that another claimant may take the product again. */
  leaseSeconds: number;
  /** Only these products (decimal ids). */
  productIds?: readonly string[];
  /** Only products last seen by this harvest run. */
  harvestRunId?: string;
}

/*
 * One statement per form. Each picks claimable rows in id order and locks them, skipping rows another
 * transaction holds (two gardeners never wait for, nor take, each other's rows), and marks them
 * `processing` with a lease. A `processing` row whose lease expired was left by a crashed worker and
 * is claimable again. Works the same on PostgreSQL and PGlite.
 *
 * For a run or a whole tenant, pending rows and expired claims are looked for separately: `pending`
 * alone can walk the partial index `dealer_products_pending_idx` (tenant, id), where the two statuses
 * OR-ed together made PostgreSQL walk the primary key (or read the whole run and sort it) past every
 * product that is not pending, on every claim. Expired claims are looked for only when the pending
 * rows do not fill the batch (`limit` of the second part is what is left, 0 otherwise, and PostgreSQL
 * then does not run it): a crashed worker's products are taken again once the pending ones run out.
 */
const SET_CLAIMED = `update dealer_products d set enrichment_status = 'processing', claimed_by = $2,
       claim_expires_at = now() + $3::int * interval '1 second'`;

// Pending rows first, expired claims only for what is left; `pendingScope` and `expiredScope` narrow
// each part (to a run) or are empty (the whole tenant).
const pendingFirstSql = (pendingScope: string, expiredScope: string) => (returning: string): string => `
with pending as (
  select id from dealer_products
  where tenant_id = $1 and enrichment_status = 'pending'${pendingScope}
  order by id limit $4
  for update skip locked),
expired as (
  select id from dealer_products
  where tenant_id = $1 and enrichment_status = 'processing' and claim_expires_at < now()${expiredScope}
  order by id limit $4 - (select count(*) from pending)
  for update skip locked)
${SET_CLAIMED}
where d.id in (select id from pending union all select id from expired)
returning ${returning}`;

const RUN_SCOPE = ' and last_seen_run_id = $5::uuid';
const claimByRunSql = pendingFirstSql(
  RUN_SCOPE,
  `
    and supplier_id = (select supplier_id from harvest_runs where id = $5::uuid and tenant_id = $1)
   ${RUN_SCOPE}`,
);
const claimAnySql = pendingFirstSql('', '');

// Given ids, found by primary key: the OR of the two statuses costs nothing here.
const claimByIdsSql = (returning: string): string => `
${SET_CLAIMED}
where d.id in (
  select id from dealer_products
  where tenant_id = $1 and id = any($5::text[]::bigint[])
    and (enrichment_status = 'pending' or (enrichment_status = 'processing' and claim_expires_at < now()))
    and ($6::uuid is null or last_seen_run_id = $6::uuid)
  order by id limit $4
  for update skip locked)
returning ${returning}`;

const RETURNING_ID = 'd.id::text as id';
// What a classifier reads, in the same statement: a batch needs no second query to load it.
const RETURNING_CONTENT = 'd.id::text as id, d.name, d.description, d.vendor, d.category, d.barcode, d.attributes';
const SQL = {
  ids: { byIds: claimByIdsSql(RETURNING_ID), byRun: claimByRunSql(RETURNING_ID), any: claimAnySql(RETURNING_ID) },
  content: { byIds: claimByIdsSql(RETURNING_CONTENT), byRun: claimByRunSql(RETURNING_CONTENT), any: claimAnySql(RETURNING_CONTENT) },
};

const ID = /^[1-9]\d{0,15}$/;
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Claims up to `limit` products waiting for enrichment; returns their ids in id order. */
export async function claimPendingProducts(catalog: Catalog, input: ClaimPendingProductsInput): Promise<string[]> {
  const rows = await claim<{ id: string }>(catalog, input, 'ids');
  return rows.map((row) => row.id).sort(byId);
}

/**
 * Claims like `claimPendingProducts` and returns the fields a classifier reads of each product claimed,
 * in id order: the claim and the load of a batch in one statement.
 */
export async function claimProductsForClassification(catalog: Catalog, input: ClaimPendingProductsInput): Promise<ProductForClassification[]> {
  const rows = await claim<ProductRow>(catalog, input, 'content');
  return rows.map(toProductForClassification).sort((a, b) => byId(a.id, b.id));
}

const byId = (a: string, b: string): number => (BigInt(a) < BigInt(b) ? -1 : 1);

async function claim<Row>(catalog: Catalog, input: ClaimPendingProductsInput, returning: keyof typeof SQL): Promise<Row[]> {
  if (!input.tenantId) throw new TypeError('claimPendingProducts needs a tenant id');
  if (!input.claimant) throw new TypeError('claimPendingProducts needs a claimant');
  const limit = Math.max(0, Math.floor(input.limit));
  if (limit === 0) return [];
  let ids: string[] | null = null;
  if (input.productIds) {
    ids = input.productIds.filter((id) => ID.test(id));
    if (ids.length === 0) return [];
  }
  if (input.harvestRunId !== undefined && !RUN_ID.test(input.harvestRunId)) return [];
  const sql = SQL[returning];
  const common = [input.tenantId, input.claimant, Math.max(1, Math.ceil(input.leaseSeconds)), limit];
  if (ids) return catalog.query<Row>(sql.byIds, [...common, ids, input.harvestRunId ?? null]);
  if (input.harvestRunId !== undefined) return catalog.query<Row>(sql.byRun, [...common, input.harvestRunId]);
  return catalog.query<Row>(sql.any, common);
}

/**
 * Puts back to `pending` the enriched (or failed) products of a tenant whose enrichment was made for
 * another content hash or taxonomy version (`enrichment_hash` = `<content_hash>:<taxonomyVersion>`).
 * Returns how many were re-queued.
 */
export async function requeueForTaxonomy(catalog: Catalog, tenantId: string, taxonomyVersion: string): Promise<number> {
  const rows = await catalog.query<{ n: number }>(
    `with requeued as (
       update dealer_products set enrichment_status = 'pending', claimed_by = null, claim_expires_at = null
       where tenant_id = $1 and enrichment_status in ('done', 'failed')
         and enrichment_hash is distinct from content_hash || ':' || $2
       returning 1)
     select count(*)::int as n from requeued`,
    [tenantId, taxonomyVersion],
  );
  return rows[0]?.n ?? 0;
}

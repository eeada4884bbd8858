import type { Catalog } from '@contextworker/catalog';

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
 * One statement: the subquery picks claimable rows in id order and locks them, skipping rows another
 * transaction holds (two gardeners never wait for, nor take, each other's rows); the update marks them
 * `processing` with a lease. A `processing` row whose lease expired was left by a crashed worker and is
 * claimable again. Works the same on PostgreSQL and PGlite.
 */
const CLAIM_SQL = `
update dealer_products set enrichment_status = 'processing', claimed_by = $2,
       claim_expires_at = now() + $3::int * interval '1 second'
where id in (
  select id from dealer_products
  where tenant_id = $1
    and (enrichment_status = 'pending' or (enrichment_status = 'processing' and claim_expires_at < now()))
    and ($5::text[] is null or id = any($5::text[]::bigint[]))
    and ($6::text is null or last_seen_run_id = $6::uuid)
  order by id
  limit $4
  for update skip locked)
returning id::text as id`;

const ID = /^[1-9]\d{0,15}$/;
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Claims up to `limit` products waiting for enrichment; returns their ids in id order. */
export async function claimPendingProducts(catalog: Catalog, input: ClaimPendingProductsInput): Promise<string[]> {
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
  const rows = await catalog.query<{ id: string }>(CLAIM_SQL, [
    input.tenantId,
    input.claimant,
    Math.max(1, Math.ceil(input.leaseSeconds)),
    limit,
    ids,
    input.harvestRunId ?? null,
  ]);
  return rows.map((row) => row.id).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
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

import type { Catalog } from '@contextworker/catalog';
import type { ProductForClassification } from '../classifiers/classifier.js';
import { toProductForClassification, type ProductRow } from './product-row.js';

export interface EnrichmentRecord {
  id: string;
  status: 'done' | 'failed';
  /** Stored as `enrichment_result` (category, confidence, attributes … or the failure reason). */
  result: Record<string, unknown>;
}

export interface RecordEnrichmentInput {
  tenantId: string;
  claimant: string;
  results: readonly EnrichmentRecord[];
  taxonomyVersion: string;
}

/*
 * Writes only rows this claimant still holds: a claim taken over after its lease expired belongs to
 * someone else, whose answer wins. The enrichment hash ties the result to the content and taxonomy it
 * was made for, so the product is classified again only when one of them changes.
 */
const RECORD_SQL = `
update dealer_products d set enrichment_status = i.status, enrichment_result = i.result::jsonb,
       enrichment_hash = d.content_hash || ':' || $6, claimed_by = null, claim_expires_at = null
from unnest($3::text[], $4::text[], $5::text[]) as i(id, status, result)
where d.tenant_id = $1 and d.id = i.id::bigint and d.claimed_by = $2 and d.enrichment_status = 'processing'
returning d.id::text as id`;

/** Records classification results; returns the ids actually written (those still claimed by `claimant`). */
export async function recordEnrichmentResults(catalog: Catalog, input: RecordEnrichmentInput): Promise<string[]> {
  const results = input.results.filter((result) => /^[1-9]\d{0,15}$/.test(result.id));
  if (results.length === 0) return [];
  const rows = await catalog.query<{ id: string }>(RECORD_SQL, [
    input.tenantId,
    input.claimant,
    results.map((result) => result.id),
    results.map((result) => result.status),
    results.map((result) => JSON.stringify(result.result)),
    input.taxonomyVersion,
  ]);
  return rows.map((row) => row.id);
}

/** The fields a classifier reads of the tenant's products with these ids (only those `claimant` holds, when given), in id order. */
export async function loadProductsForClassification(
  catalog: Catalog,
  tenantId: string,
  ids: readonly string[],
  options: { claimant?: string } = {},
): Promise<ProductForClassification[]> {
  const valid = ids.filter((id) => /^[1-9]\d{0,15}$/.test(id));
  if (valid.length === 0) return [];
  const rows = await catalog.query<ProductRow>(
    `select id::text as id, name, description, vendor, category, barcode, attributes
     from dealer_products
     where tenant_id = $1 and id = any($2::text[]::bigint[]) and ($3::text is null or claimed_by = $3)
     order by id`,
    [tenantId, valid, options.claimant ?? null],
  );
  return rows.map(toProductForClassification);
}

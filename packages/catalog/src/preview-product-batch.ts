import type { Catalog } from './open-catalog.js';
import { prepareProductBatch, type ProductInput } from './product-input.js';
import { requireTenant } from './supplier-input.js';
import { textArrayLiteral } from './text-array-literal.js';

export interface PreviewProductBatchInput {
  tenantId: string;
  supplierId: string;
  products: readonly ProductInput[];
}

export interface PreviewProductBatchResult {
  /** Would be created. */
  created: number;
  /** Exist with another content hash. */
  updated: number;
  /** Exist with the same content hash. */
  unchanged: number;
  duplicates: number;
  /** Of the existing ones, how many are active (not quarantined): summed over a feed, the active
   *  total minus this is what a real run would mark missing. */
  seenActive: number;
}

const PREVIEW_SQL = `
select
  count(*) filter (where d.id is null)::int as created,
  count(*) filter (where d.id is not null and d.content_hash is distinct from i.content_hash)::int as updated,
  count(*) filter (where d.content_hash = i.content_hash)::int as unchanged,
  count(*) filter (where d.id is not null and d.missing_since is null)::int as seen_active
from unnest($3::text::text[], $4::text::text[]) as i(external_id, content_hash)
left join dealer_products d on d.tenant_id = $1 and d.supplier_id = $2 and d.external_id = i.external_id`;

interface PreviewRow {
  created: number;
  updated: number;
  unchanged: number;
  seen_active: number;
}

/**
 * What `upsertProductBatch` would do with this batch, without writing anything: the read-only half
 * of a dry run. Validates the products the same way.
 *
 * @throws {InvalidProductError} for a product that could not be stored.
 */
export async function previewProductBatch(catalog: Catalog, input: PreviewProductBatchInput): Promise<PreviewProductBatchResult> {
  requireTenant(input.tenantId);
  const batch = prepareProductBatch(input.products);
  const [row] = await catalog.query<PreviewRow>(PREVIEW_SQL, [input.tenantId, input.supplierId, textArrayLiteral(batch.columns.externalId), textArrayLiteral(batch.columns.contentHash)]);
  return {
    created: row?.created ?? 0,
    updated: row?.updated ?? 0,
    unchanged: row?.unchanged ?? 0,
    duplicates: batch.duplicates,
    seenActive: row?.seen_active ?? 0,
  };
}

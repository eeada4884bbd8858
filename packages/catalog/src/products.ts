import { and, asc, count, eq, inArray, isNotNull, isNull, type SQL } from 'drizzle-orm';
import type { Catalog } from './open-catalog.js';
import { dealerProducts, type DealerProductRow, type EnrichmentStatus } from './schema.js';
import { requireTenant } from './supplier-input.js';

/** A row of `dealer_products`; its id (a bigint) as a decimal string. */
export type Product = Omit<DealerProductRow, 'id'> & { id: string };

const toProduct = (row: DealerProductRow): Product => ({ ...row, id: String(row.id) });

export interface CountProductsFilter {
  tenantId: string;
  supplierId?: string;
  enrichmentStatus?: EnrichmentStatus;
  /** true: only quarantined products; false: only active ones; unset: both. */
  missing?: boolean;
}

/** How many of the tenant's products match the filter. */
export async function countProducts(catalog: Catalog, filter: CountProductsFilter): Promise<number> {
  requireTenant(filter.tenantId);
  const conditions: SQL[] = [eq(dealerProducts.tenantId, filter.tenantId)];
  if (filter.supplierId !== undefined) conditions.push(eq(dealerProducts.supplierId, filter.supplierId));
  if (filter.enrichmentStatus !== undefined) conditions.push(eq(dealerProducts.enrichmentStatus, filter.enrichmentStatus));
  if (filter.missing !== undefined) conditions.push(filter.missing ? isNotNull(dealerProducts.missingSince) : isNull(dealerProducts.missingSince));
  const [row] = await catalog.db.select({ n: count() }).from(dealerProducts).where(and(...conditions));
  return Number(row?.n ?? 0);
}

/** The tenant's products with these ids, in id order; ids of other tenants or none at all are skipped. */
export async function getProductsByIds(catalog: Catalog, tenantId: string, ids: readonly string[]): Promise<Product[]> {
  requireTenant(tenantId);
  const numeric = [...new Set(ids)].filter((id) => /^[1-9]\d{0,15}$/.test(id)).map(Number).filter(Number.isSafeInteger);
  if (numeric.length === 0) return [];
  const rows = await catalog.db
    .select()
    .from(dealerProducts)
    .where(and(eq(dealerProducts.tenantId, tenantId), inArray(dealerProducts.id, numeric)))
    .orderBy(asc(dealerProducts.id));
  return rows.map(toProduct);
}

/** The supplier's products with these external ids, in id order. */
export async function getProductsByExternalIds(
  catalog: Catalog,
  input: { tenantId: string; supplierId: string; externalIds: readonly string[] },
): Promise<Product[]> {
  requireTenant(input.tenantId);
  if (input.externalIds.length === 0) return [];
  const rows = await catalog.db
    .select()
    .from(dealerProducts)
    .where(
      and(
        eq(dealerProducts.tenantId, input.tenantId),
        eq(dealerProducts.supplierId, input.supplierId),
        inArray(dealerProducts.externalId, [...input.externalIds]),
      ),
    )
    .orderBy(asc(dealerProducts.id));
  return rows.map(toProduct);
}

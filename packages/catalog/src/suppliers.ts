import { and, asc, count, eq, getTableColumns, sql } from 'drizzle-orm';
import { SupplierHasProductsError, SupplierNotFoundError } from './errors.js';
import type { Catalog } from './open-catalog.js';
import { dealerProducts, suppliers, type SupplierRow } from './schema.js';
import { parseSupplierInput, requireTenant, type SupplierInput } from './supplier-input.js';

/** A row of `suppliers`. */
export type Supplier = SupplierRow;

export interface UpsertSupplierResult {
  supplier: Supplier;
  /** True when the supplier is new, false when an existing one was updated. */
  created: boolean;
}

// The delta ledger describes the feed as it was read: a new URL, format, transformer or
// options means the next harvest must not be skipped as "unchanged".
const FEED_CHANGED = ['feed_url', 'format', 'transformer', 'options']
  .map((column) => `"suppliers"."${column}" is distinct from excluded."${column}"`)
  .join(' or ');
const keepUnlessFeedChanged = (column: string) => sql.raw(`case when ${FEED_CHANGED} then null else "suppliers"."${column}" end`);

/**
 * Creates the supplier or updates the one with the same id; validates the input first.
 *
 * @throws {InvalidSupplierError} listing every bad field.
 */
export async function upsertSupplier(catalog: Catalog, tenantId: string, input: SupplierInput): Promise<UpsertSupplierResult> {
  requireTenant(tenantId);
  const supplier = parseSupplierInput(input);
  const [row] = await catalog.db
    .insert(suppliers)
    .values({ tenantId, ...supplier })
    .onConflictDoUpdate({
      target: [suppliers.tenantId, suppliers.id],
      set: {
        name: supplier.name,
        feedUrl: supplier.feedUrl,
        format: supplier.format,
        transformer: supplier.transformer,
        harvestCron: supplier.harvestCron,
        options: supplier.options,
        lastEtag: keepUnlessFeedChanged('last_etag'),
        lastModified: keepUnlessFeedChanged('last_modified'),
        lastContentHash: keepUnlessFeedChanged('last_content_hash'),
        updatedAt: sql`now()`,
      },
    })
    .returning({ ...getTableColumns(suppliers), created: sql<boolean>`(xmax = 0)` });
  const { created, ...stored } = row!;
  return { supplier: stored, created: Boolean(created) };
}

/**
 * The supplier with this id.
 *
 * @throws {SupplierNotFoundError} naming tenant and id.
 */
export async function getSupplier(catalog: Catalog, tenantId: string, id: string): Promise<Supplier> {
  requireTenant(tenantId);
  const [row] = await catalog.db
    .select()
    .from(suppliers)
    .where(and(eq(suppliers.tenantId, tenantId), eq(suppliers.id, id)));
  if (!row) throw new SupplierNotFoundError(tenantId, id);
  return row;
}

/** The tenant's suppliers, by id. */
export async function listSuppliers(catalog: Catalog, tenantId: string): Promise<Supplier[]> {
  requireTenant(tenantId);
  return catalog.db.select().from(suppliers).where(eq(suppliers.tenantId, tenantId)).orderBy(asc(suppliers.id));
}

export interface RemoveSupplierOptions {
  /** Also delete the supplier's products. Without it, a supplier that has products is refused. */
  withProducts?: boolean;
}

/**
 * Removes a supplier and its harvest runs; its products too when `withProducts` is set.
 *
 * @throws {SupplierNotFoundError} when there is no such supplier.
 * @throws {SupplierHasProductsError} when it has products and `withProducts` is not set.
 */
export async function removeSupplier(
  catalog: Catalog,
  tenantId: string,
  id: string,
  options: RemoveSupplierOptions = {},
): Promise<{ removedProducts: number }> {
  requireTenant(tenantId);
  return catalog.db.transaction(async (tx) => {
    const ofSupplier = and(eq(dealerProducts.tenantId, tenantId), eq(dealerProducts.supplierId, id));
    const [found] = await tx
      .select({ id: suppliers.id })
      .from(suppliers)
      .where(and(eq(suppliers.tenantId, tenantId), eq(suppliers.id, id)))
      .for('update');
    if (!found) throw new SupplierNotFoundError(tenantId, id);
    const [products] = await tx.select({ n: count() }).from(dealerProducts).where(ofSupplier);
    const removedProducts = Number(products?.n ?? 0);
    if (removedProducts > 0 && !options.withProducts) throw new SupplierHasProductsError(tenantId, id, removedProducts);
    if (removedProducts > 0) await tx.delete(dealerProducts).where(ofSupplier);
    await tx.delete(suppliers).where(and(eq(suppliers.tenantId, tenantId), eq(suppliers.id, id)));
    return { removedProducts };
  });
}

/** The feed as last harvested: the validators a conditional GET sends and the hash of its bytes. */
export interface FeedState {
  etag: string | null;
  lastModified: string | null;
  contentHash: string | null;
}

/**
 * Records the feed state after a successful harvest, and when it happened. Call it only once the
 * products of that feed are stored, so an interrupted harvest is never skipped as unchanged.
 *
 * @throws {SupplierNotFoundError} when there is no such supplier.
 */
export async function recordFeedState(catalog: Catalog, tenantId: string, id: string, state: FeedState): Promise<void> {
  requireTenant(tenantId);
  const updated = await catalog.db
    .update(suppliers)
    .set({ lastEtag: state.etag, lastModified: state.lastModified, lastContentHash: state.contentHash, lastHarvestAt: sql`now()` })
    .where(and(eq(suppliers.tenantId, tenantId), eq(suppliers.id, id)))
    .returning({ id: suppliers.id });
  if (updated.length === 0) throw new SupplierNotFoundError(tenantId, id);
}

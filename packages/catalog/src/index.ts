/**
 * The ContextWorker product store: suppliers, their products and the harvest runs that fill them,
 * on PostgreSQL (`postgres` driver) or on an embedded PGlite database, through drizzle-orm.
 * Every function takes a tenant and touches only that tenant's rows. The tables and columns are a
 * documented contract (see the package README) that other codebases read directly.
 *
 * @example
 * ```ts
 * import {
 *   openCatalog, migrateCatalog, upsertSupplier, startHarvestRun, upsertProductBatch,
 *   markMissingProducts, finishHarvestRun, productContentHash,
 * } from '@contextworker/catalog';
 *
 * const catalog = await openCatalog({ url: process.env.DATABASE_URL, embeddedDir: '.contextworker/pgdata' });
 * await migrateCatalog(catalog);
 * await upsertSupplier(catalog, 'shop', { id: 'camping-trade', feedUrl: 'https://feeds.example.com/camping.csv', format: 'csv' });
 *
 * const run = await startHarvestRun(catalog, 'shop', { supplierId: 'camping-trade' });
 * const product = { externalId: 'T-100', name: 'Tent 2p', price: '129.00', currency: 'EUR' };
 * const stored = await upsertProductBatch(catalog, {
 *   tenantId: 'shop', supplierId: 'camping-trade', harvestRunId: run.id,
 *   products: [{ ...product, contentHash: productContentHash(product) }],
 * });
 * const missing = await markMissingProducts(catalog, { tenantId: 'shop', supplierId: 'camping-trade', harvestRunId: run.id });
 * await finishHarvestRun(catalog, 'shop', run.id, { status: 'completed', counts: { ...stored, markedMissing: missing.marked } });
 * await catalog.close();
 * ```
 *
 * @module
 */
export { openCatalog, type Catalog, type CatalogDatabase, type OpenCatalogOptions } from './open-catalog.js';
export { lockFileFor } from './embedded-lock.js';
export {
  migrateCatalog,
  DEFAULT_MIGRATIONS_FOLDER,
  MIGRATIONS_SCHEMA,
  MIGRATIONS_TABLE,
  type MigrateCatalogOptions,
  type MigrateCatalogResult,
} from './migrate-catalog.js';
export { maskUrl, maskPasswords } from './mask-url.js';

export {
  upsertSupplier,
  getSupplier,
  listSuppliers,
  removeSupplier,
  recordFeedState,
  type Supplier,
  type UpsertSupplierResult,
  type RemoveSupplierOptions,
  type FeedState,
} from './suppliers.js';
export { parseSupplierInput, SUPPLIER_ID_PATTERN, type SupplierInput, type ValidSupplier } from './supplier-input.js';

export {
  startHarvestRun,
  finishHarvestRun,
  getHarvestRun,
  saveStoreProgress,
  recordRunErrors,
  lastSuccessfulRun,
  MAX_RUN_ERRORS,
  type HarvestRun,
  type HarvestCounts,
  type StartHarvestRunOptions,
  type FinishHarvestRunInput,
  type RunErrorsInput,
} from './harvest-runs.js';

export { productContentHash, prepareProductBatch, PreparedProductBatch, type ProductFields, type ProductInput } from './product-input.js';
export {
  upsertProductBatch,
  findUnchangedProducts,
  findUnchangedSources,
  ENRICHMENT_INPUT_COLUMNS,
  type UpsertProductBatchInput,
  type UpsertProductBatchResult,
} from './upsert-product-batch.js';
export { previewProductBatch, type PreviewProductBatchInput, type PreviewProductBatchResult } from './preview-product-batch.js';
export {
  markMissingProducts,
  DEFAULT_MAX_SHRINK_RATIO,
  type MarkMissingProductsInput,
  type MarkMissingProductsResult,
} from './mark-missing-products.js';
export { countProducts, getProductsByIds, getProductsByExternalIds, type Product, type CountProductsFilter } from './products.js';

export {
  suppliers,
  dealerProducts,
  harvestRuns,
  harvestRunSeen,
  FEED_FORMATS,
  ENRICHMENT_STATUSES,
  HARVEST_RUN_STATUSES,
  type FeedFormat,
  type EnrichmentStatus,
  type HarvestRunStatus,
  type SupplierOptions,
  type EnrichmentResult,
  type HarvestRowError,
  type StoreProgress,
  type StoredRange,
  type SupplierRow,
  type DealerProductRow,
  type HarvestRunRow,
} from './schema.js';

export {
  CatalogLockedError,
  CatalogUnavailableError,
  DryRunWriteError,
  HarvestRunNotFoundError,
  InvalidProductError,
  InvalidSupplierError,
  SupplierHasProductsError,
  SupplierNotFoundError,
  type CatalogIssue,
} from './errors.js';
export { sharedCatalog, CATALOG_RESOURCE, type CatalogHost } from './shared-catalog.js';

import type { WorkerConfig } from '@contextworker/core-temporal';
import type { ModuleContext } from '@contextworker/registry';
import {
  SupplierNotFoundError,
  getSupplier,
  migrateCatalog,
  openCatalog,
  recordRunErrors,
  type Catalog,
  type HarvestRowError,
  type Supplier,
} from '@contextworker/catalog';
import { permanentFailure } from './failures.js';

export type SupplierRow = Supplier;

// One catalog per worker process, shared by every module that asks for this key.
export const CATALOG_RESOURCE = 'contextworker.catalog';

/** Opens the worker's catalog once; the embedded database is migrated on open (it serves one process). */
export function catalogResource(context: Pick<ModuleContext, 'resource' | 'config'>): Promise<Catalog> {
  return context.resource(CATALOG_RESOURCE, () => openWorkerCatalog(context.config), (catalog) => catalog.close());
}

export async function openWorkerCatalog(config: Pick<WorkerConfig, 'database'>): Promise<Catalog> {
  const catalog = await openCatalog({ ...(config.database.url ? { url: config.database.url } : {}), embeddedDir: config.database.embeddedDir });
  if (catalog.kind === 'embedded') await migrateCatalog(catalog);
  return catalog;
}

/** The catalog calls the harvest activities make, with activity-friendly failures. */
export class CatalogAccess {
  constructor(readonly open: () => Promise<Catalog>) {}

  async getSupplier(tenantId: string, supplierId: string): Promise<SupplierRow> {
    try {
      return await getSupplier(await this.open(), tenantId, supplierId);
    } catch (error) {
      if (error instanceof SupplierNotFoundError) throw permanentFailure('SupplierNotFound', error);
      throw error;
    }
  }

  async recordRowErrors(tenantId: string, harvestRunId: string, errors: HarvestRowError[], counts: { invalid: number }): Promise<void> {
    await recordRunErrors(await this.open(), tenantId, harvestRunId, { errors, invalid: counts.invalid });
  }
}

import type { WorkerConfig } from '@contextworker/core-temporal';
import type { ModuleContext } from '@contextworker/registry';
import { migrateCatalog, openCatalog, type Catalog } from '@contextworker/catalog';

// The same key as the harvester's: one catalog (one connection pool) per worker process for every module.
export const CATALOG_RESOURCE = 'contextworker.catalog';

/** The worker's shared catalog, opened on first use; the embedded database is migrated on open. */
export function catalogResource(context: Pick<ModuleContext, 'resource' | 'config'>): Promise<Catalog> {
  return context.resource(CATALOG_RESOURCE, () => openWorkerCatalog(context.config), (catalog) => catalog.close());
}

async function openWorkerCatalog(config: Pick<WorkerConfig, 'database'>): Promise<Catalog> {
  const catalog = await openCatalog({ ...(config.database.url ? { url: config.database.url } : {}), embeddedDir: config.database.embeddedDir });
  if (catalog.kind === 'embedded') await migrateCatalog(catalog);
  return catalog;
}

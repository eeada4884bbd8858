import { migrateCatalog } from './migrate-catalog.js';
import { openCatalog, type Catalog } from './open-catalog.js';

/** The key under which every module of a worker shares one catalog (one connection pool). */
export const CATALOG_RESOURCE = 'contextworker.catalog';

/** What `sharedCatalog` needs of a worker module's context (the registry's `ModuleContext` fits). */
export interface CatalogHost {
  config: { database: { url?: string; embeddedDir: string } };
  resource<T>(key: string, create: () => T | Promise<T>, dispose?: (value: T) => void | Promise<void>): Promise<T>;
}

/**
 * The worker's catalog, opened by the first module that asks and shared with the others; closed
 * when the worker stops. The embedded database is migrated on open, since it serves this process only.
 */
export function sharedCatalog(host: CatalogHost): Promise<Catalog> {
  return host.resource(CATALOG_RESOURCE, () => openWorkerCatalog(host.config.database), (catalog) => catalog.close());
}

async function openWorkerCatalog(database: CatalogHost['config']['database']): Promise<Catalog> {
  const catalog = await openCatalog({ ...(database.url ? { url: database.url } : {}), embeddedDir: database.embeddedDir });
  if (catalog.kind === 'embedded') await migrateCatalog(catalog);
  return catalog;
}

// Each integration test runs against both stores the catalog supports: a fresh database on the
// run's PostgreSQL server, and an embedded PGlite in a temporary directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@contextworker/test-utils';
import { migrateCatalog, openCatalog, type Catalog } from '../src/index.js';

export interface Backend {
  kind: 'postgres' | 'embedded';
  open(): Promise<{ catalog: Catalog; dispose(): Promise<void> }>;
}

export const BACKENDS: Backend[] = [
  {
    kind: 'postgres',
    async open() {
      const database = await createTestDatabase('catalog');
      const catalog = await openCatalog({ url: database.url, embeddedDir: '/nonexistent', max: 4 });
      return {
        catalog,
        async dispose() {
          await catalog.close();
          await database.drop();
        },
      };
    },
  },
  {
    kind: 'embedded',
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'catalog-test-'));
      const catalog = await openCatalog({ embeddedDir: join(dir, 'pgdata') });
      return {
        catalog,
        async dispose() {
          await catalog.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

/** Opens and migrates a catalog of the given kind. */
export async function openMigrated(backend: Backend): Promise<{ catalog: Catalog; dispose(): Promise<void> }> {
  const opened = await backend.open();
  await migrateCatalog(opened.catalog);
  return opened;
}

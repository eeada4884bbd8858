import type { Command } from 'commander';
import { migrateCatalog, openCatalog, type Catalog } from '@contextworker/catalog';
import type { DatabaseConfig } from '@contextworker/core-temporal';
import { loadConfig } from '../load-config.js';

interface MigrateFlags {
  projectDir?: string;
  json?: boolean;
}

/** Opens the configured catalog (DATABASE_URL, else the embedded one), runs `fn` and closes it. */
export async function withCatalog<T>(database: DatabaseConfig, fn: (catalog: Catalog) => Promise<T>): Promise<T> {
  const catalog = await openCatalog({ ...(database.url ? { url: database.url } : {}), embeddedDir: database.embeddedDir, max: 2 });
  try {
    return await fn(catalog);
  } finally {
    await catalog.close();
  }
}

/** `contextworker migrate`: creates or updates the product store's tables; safe to repeat. */
export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('create or update the product store tables in DATABASE_URL, else in the embedded database under PROJECT_DIR')
    .option('--project-dir <dir>', 'project directory (PROJECT_DIR)')
    .option('--json', 'print JSON')
    .action(async (flags: MigrateFlags) => {
      const config = loadConfig({ ...(flags.projectDir ? { projectDir: flags.projectDir } : {}) });
      await withCatalog(config.database, async (catalog) => {
        const result = await migrateCatalog(catalog);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ database: catalog.location, kind: catalog.kind, ...result }, null, 2)}\n`);
          return;
        }
        const where = `${catalog.kind === 'embedded' ? 'embedded database' : 'database'} ${catalog.location}`;
        const lines =
          result.applied.length === 0
            ? [`The ${where} is up to date (${result.total} migration${result.total === 1 ? '' : 's'}).`]
            : [`Migrated the ${where}: applied ${result.applied.length} of ${result.total} migration${result.total === 1 ? '' : 's'}.`, ...result.applied.map((tag) => `  ${tag}`)];
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { CatalogUnavailableError } from './errors.js';
import { maskPasswords } from './mask-url.js';
import { catalogInternals, postgresOptions, type Catalog } from './open-catalog.js';

/** Where the applied migrations are recorded: our own table, so a host application's drizzle history stays its own. */
export const MIGRATIONS_SCHEMA = 'drizzle';
export const MIGRATIONS_TABLE = 'contextworker_catalog_migrations';

// Serializes migrations of replicas that start at the same time (an arbitrary, fixed key).
const MIGRATION_LOCK_KEY = 7_264_110_391;

/** The migrations shipped in the package (`drizzle/`), next to `dist/` and `src/` alike. */
export const DEFAULT_MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface MigrateCatalogOptions {
  /** Folder of drizzle-kit migrations. Default: the ones shipped with this package. */
  migrationsFolder?: string;
}

export interface MigrateCatalogResult {
  /** Tags of the migrations applied now, in order (empty when the schema was current). */
  applied: string[];
  /** How many migrations the database now has, from this package. */
  total: number;
}

interface JournalEntry {
  tag: string;
  when: number;
}

function readJournal(folder: string): JournalEntry[] {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] };
  return journal.entries;
}

type RawQuery = (text: string) => Promise<Record<string, unknown>[]>;

/** `created_at` of the newest applied migration; drizzle applies exactly those newer than it. */
async function lastAppliedMillis(query: RawQuery): Promise<number> {
  const [table] = await query(`select to_regclass('"${MIGRATIONS_SCHEMA}"."${MIGRATIONS_TABLE}"')::text as name`);
  if (!table?.name) return -1;
  const [last] = await query(`select max(created_at)::text as created_at from "${MIGRATIONS_SCHEMA}"."${MIGRATIONS_TABLE}"`);
  return last?.created_at == null ? -1 : Number(last.created_at);
}

/**
 * Applies the catalog's migrations with drizzle's migrator (postgres-js or PGlite). Idempotent:
 * applied migrations are skipped, so running it on every start is safe; concurrent runs against
 * one PostgreSQL are serialized by an advisory lock.
 */
export async function migrateCatalog(catalog: Catalog, options: MigrateCatalogOptions = {}): Promise<MigrateCatalogResult> {
  const migrationsFolder = options.migrationsFolder ?? DEFAULT_MIGRATIONS_FOLDER;
  const journal = readJournal(migrationsFolder);
  const config = { migrationsFolder, migrationsSchema: MIGRATIONS_SCHEMA, migrationsTable: MIGRATIONS_TABLE };
  const pending = (last: number): string[] => journal.filter((entry) => entry.when > last).map((entry) => entry.tag);

  const internals = catalogInternals(catalog);
  if (internals.kind === 'embedded') {
    const query: RawQuery = async (text) => (await internals.client.query<Record<string, unknown>>(text)).rows;
    const applied = pending(await lastAppliedMillis(query));
    await migratePglite(drizzlePglite({ client: internals.client }), config);
    return { applied, total: journal.length };
  }

  // One dedicated connection: the advisory lock belongs to a session, and so must the migration.
  const sql = postgres(internals.url, postgresOptions(1));
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    const query: RawQuery = async (text) => [...(await sql.unsafe<Record<string, unknown>[]>(text))];
    const applied = pending(await lastAppliedMillis(query));
    await migratePostgres(drizzlePostgres({ client: sql }), config);
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    return { applied, total: journal.length };
  } catch (error) {
    if (error instanceof Error && 'code' in error && typeof error.code === 'string' && /^(08|57P|ECONN|ENOTFOUND)/.test(error.code)) {
      throw new CatalogUnavailableError(catalog.location, new Error(maskPasswords(error.message)));
    }
    throw error;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

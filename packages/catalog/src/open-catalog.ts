import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { acquireEmbeddedLock } from './embedded-lock.js';
import { CatalogUnavailableError } from './errors.js';
import { maskPasswords, maskUrl } from './mask-url.js';
import * as schema from './schema.js';

/** The drizzle database of the catalog; the same query builder on PostgreSQL and on PGlite. */
export type CatalogDatabase = PgDatabase<PgQueryResultHKT, typeof schema>;

/** An open product store. Close it when done: the embedded one holds its directory until then. */
export interface Catalog {
  readonly kind: 'postgres' | 'embedded';
  readonly db: CatalogDatabase;
  /** The database URL with its password masked, or the embedded data directory. */
  readonly location: string;
  /**
   * Runs one raw SQL statement with `$1`-style parameters and returns its rows, for the statements
   * the query builder cannot express efficiently. Values come back as the driver decodes them:
   * cast ids, counts and bigints to text or int in SQL to get one shape on both drivers.
   */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export interface OpenCatalogOptions {
  /** PostgreSQL URL (`DATABASE_URL`); unset = the embedded database in `embeddedDir`. */
  url?: string;
  /** Data directory of the embedded database, created when missing. */
  embeddedDir: string;
  /** Connection pool size for PostgreSQL. Default 10. */
  max?: number;
  /** Use named prepared statements on PostgreSQL. Default true; set false behind a transaction-mode pooler. */
  prepare?: boolean;
}

/** What a migration needs beyond the public surface: a dedicated connection or the PGlite instance. */
export type CatalogInternals = { kind: 'postgres'; url: string } | { kind: 'embedded'; client: PGlite };
const internals = new WeakMap<Catalog, CatalogInternals>();

export function catalogInternals(catalog: Catalog): CatalogInternals {
  const found = internals.get(catalog);
  if (!found) throw new TypeError('Not a catalog opened by openCatalog()');
  return found;
}

const errorText = (error: unknown): string => maskPasswords(error instanceof Error ? error.message : String(error));

/** Options of the `postgres` driver shared by the pool and the migration connection. */
export function postgresOptions(max: number, prepare = true): postgres.Options<Record<string, never>> {
  return { max, prepare, onnotice: () => {}, connection: { application_name: 'contextworker' } };
}

async function openPostgres(url: string, max: number, prepare: boolean): Promise<Catalog> {
  const location = maskUrl(url);
  let client: postgres.Sql | undefined;
  try {
    client = postgres(url, postgresOptions(max, prepare));
    // Fail here, with a clear message, rather than at the first query of a workflow.
    await client`select 1`;
  } catch (error) {
    await client?.end({ timeout: 0 }).catch(() => undefined);
    throw new CatalogUnavailableError(location, new Error(errorText(error)));
  }
  const sql = client;
  const db = drizzlePostgres({ client: sql, schema }) as unknown as CatalogDatabase;
  const catalog: Catalog = {
    kind: 'postgres',
    db,
    location,
    query: async <Row>(text: string, params: readonly unknown[] = []) =>
      [...(await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare }))] as Row[],
    close: () => sql.end({ timeout: 5 }),
  };
  internals.set(catalog, { kind: 'postgres', url });
  return catalog;
}

async function openEmbedded(embeddedDir: string): Promise<Catalog> {
  const dir = resolve(embeddedDir);
  const lock = acquireEmbeddedLock(dir);
  let client: PGlite;
  try {
    mkdirSync(dir, { recursive: true });
    client = await PGlite.create({ dataDir: dir });
  } catch (error) {
    lock.release();
    // PGlite reports a failed start as an ExitStatus object, not an Error.
    const reason = error instanceof Error ? error.message : JSON.stringify(error);
    throw new CatalogUnavailableError(dir, new Error(`PGlite could not start (${reason}); is it a PGlite data directory?`));
  }
  const db = drizzlePglite({ client, schema }) as unknown as CatalogDatabase;
  let closed: Promise<void> | undefined;
  const catalog: Catalog = {
    kind: 'embedded',
    db,
    location: dir,
    query: async <Row>(text: string, params: readonly unknown[] = []) => (await client.query<Row>(text, params as unknown[])).rows,
    close: () =>
      (closed ??= (async () => {
        try {
          await client.close();
        } finally {
          lock.release();
        }
      })()),
  };
  internals.set(catalog, { kind: 'embedded', client });
  return catalog;
}

/**
 * Opens the product store: PostgreSQL through the `postgres` driver when `url` is set, otherwise the
 * embedded PGlite database in `embeddedDir`, which one process at a time may hold.
 *
 * @throws {CatalogLockedError} when another process holds the embedded directory.
 * @throws {CatalogUnavailableError} when the database cannot be reached or started.
 */
export async function openCatalog(options: OpenCatalogOptions): Promise<Catalog> {
  if (options.url) return openPostgres(options.url, options.max ?? 10, options.prepare ?? true);
  return openEmbedded(options.embeddedDir);
}

/**
 * Helpers for integration tests run by the vitest `integration` project, whose global setup
 * (`./global-setup.ts`) starts one Temporal dev server and one PostgreSQL for the whole run.
 *
 * @example
 * ```ts
 * import { createTestClient, createTestDatabase, uniqueTaskQueue } from '@contextworker/test-utils';
 *
 * const client = await createTestClient();
 * const db = await createTestDatabase();
 * const taskQueue = uniqueTaskQueue('harvest');
 * // ... run a worker on taskQueue against db.url, start workflows with client ...
 * await db.drop();
 * await client.connection.close();
 * ```
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import postgres from 'postgres';
import { inject } from 'vitest';

export type { SharedTestServers } from './global-setup.js';

function provided(key: 'temporalAddress' | 'databaseUrl'): string {
  const value = inject(key);
  if (!value) {
    throw new Error(
      `No ${key} was provided: this helper works only in tests of the vitest "integration" project, ` +
        'whose global setup (@contextworker/test-utils/global-setup) starts the shared servers. ' +
        'Put the test in <package>/test/*.test.ts and run it with `pnpm vitest run --project integration`.',
    );
  }
  return value;
}

/** gRPC address of the shared Temporal dev server. */
export function temporalAddress(): string {
  return provided('temporalAddress');
}

/** Superuser URL of the shared PostgreSQL server (database `postgres`). */
export function databaseUrl(): string {
  return provided('databaseUrl');
}

/**
 * A Temporal client connected to the shared dev server (or to `address`).
 * Close it with `client.connection.close()`.
 */
export async function createTestClient(options: { namespace?: string; address?: string } = {}): Promise<Client> {
  const connection = await Connection.connect({ address: options.address ?? temporalAddress() });
  return new Client({ connection, namespace: options.namespace ?? 'default' });
}

/**
 * A `TestWorkflowEnvironment` on the shared dev server, for tests that run workers
 * (`env.nativeConnection`) and clients (`env.client`). Call `env.teardown()` when done.
 */
export async function createTestEnvironment(options: { namespace?: string } = {}): Promise<TestWorkflowEnvironment> {
  // Loaded lazily: @temporalio/testing pulls in the native worker bridge, which most tests never need.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  return TestWorkflowEnvironment.createFromExistingServer({ address: temporalAddress(), namespace: options.namespace ?? 'default' });
}

/** A short random suffix, safe in task queue names, workflow ids and SQL identifiers. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

/** A task queue no other test uses, so tests sharing one server never steal each other's tasks. */
export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${uniqueSuffix()}`;
}

/** Runs `fn` with a fresh temporary directory and removes the directory afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T> | T, prefix = 'contextworker-test-'): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A `postgres` client for `url` (default: the shared server's `postgres` database). Close it with `sql.end()`. */
export function connectDatabase(url: string = databaseUrl()): postgres.Sql {
  // Notices such as "database does not exist, skipping" are noise in test output.
  return postgres(url, { max: 5, onnotice: () => {} });
}

export interface TestDatabase {
  /** The database name, unique to this call. */
  name: string;
  /** Connection URL of the new database. */
  url: string;
  /** A client connected to the database (lazily), closed by `drop()`. */
  sql: postgres.Sql;
  /** Closes `sql` and drops the database, even if other connections are still open. */
  drop(): Promise<void>;
}

/** Creates a fresh, empty database on the shared PostgreSQL server, so tests never see each other's rows. */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = `${prefix}_${uniqueSuffix()}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = connectDatabase();
  try {
    // Identifiers cannot be bind parameters; the name is built from [a-z0-9_] only.
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl());
  url.pathname = `/${name}`;
  const sql = connectDatabase(url.toString());

  let dropped: Promise<void> | undefined;
  const drop = (): Promise<void> => {
    dropped ??= (async () => {
      await sql.end();
      const dropper = connectDatabase();
      try {
        await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await dropper.end();
      }
    })();
    return dropped;
  };
  return { name, url: url.toString(), sql, drop };
}
export { camel, makeDeployment, type FixtureModule } from './module-fixtures.js';
export { startFeedServer, type FeedHandler, type FeedResponse, type FeedServer } from './feed-server.js';
export { httpStatus, startNodeScript, waitFor, type ScriptProcess } from './cli-process.js';

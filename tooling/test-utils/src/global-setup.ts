import type { TestProject } from 'vitest/node';
import {
  findTemporalCli,
  startPostgres,
  startTemporalDevServer,
  temporalCliNotFoundMessage,
  type PostgresServer,
  type TemporalDevServer,
} from '@contextworker/dev-servers';

declare module 'vitest' {
  export interface ProvidedContext {
    /** gRPC address of the Temporal dev server shared by the whole run. */
    temporalAddress: string;
    /** Superuser URL of the PostgreSQL server shared by the whole run. */
    databaseUrl: string;
  }
}

/** What the global setup provides to tests (see `temporalAddress()` and `databaseUrl()`). */
export type SharedTestServers = { temporalAddress: string; databaseUrl: string };

const log = (line: string): void => {
  process.stderr.write(`[test-utils] ${line}\n`);
};

/**
 * Vitest global setup: one Temporal dev server and one PostgreSQL for the whole run, so test files
 * share them instead of paying a start each. A missing Temporal CLI fails the run: integration tests
 * must never be skipped silently.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cliPath = await findTemporalCli({ log });
  if (!cliPath) throw new Error(`Cannot run integration tests: ${temporalCliNotFoundMessage()}`);

  const started = Date.now();
  const [temporal, postgres] = await Promise.allSettled([
    startTemporalDevServer({ cliPath }),
    startPostgres(),
  ]);
  const servers = [temporal, postgres].flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  if (temporal.status === 'rejected' || postgres.status === 'rejected') {
    // Do not leave the server that did start running behind the one that failed.
    await Promise.allSettled(servers.map((server) => server.stop()));
    const reasons = [temporal, postgres].flatMap((result) => (result.status === 'rejected' ? [errorMessage(result.reason)] : []));
    throw new Error(`Cannot run integration tests: a test server failed to start.\n${reasons.join('\n')}`);
  }
  log(`Temporal ${temporal.value.address} and PostgreSQL ${postgres.value.host}:${postgres.value.port} ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);

  project.provide('temporalAddress', temporal.value.address);
  project.provide('databaseUrl', postgres.value.url);

  return () => stopAll(temporal.value, postgres.value);
}

async function stopAll(temporal: TemporalDevServer, postgres: PostgresServer): Promise<void> {
  const results = await Promise.allSettled([temporal.stop(), postgres.stop()]);
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [errorMessage(result.reason)] : []));
  if (failures.length > 0) throw new Error(`Stopping the test servers failed:\n${failures.join('\n')}`);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

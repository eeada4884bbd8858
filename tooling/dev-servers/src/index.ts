/**
 * Throwaway servers for tests, CI and local runs: finds (or builds) the Temporal CLI, starts Temporal
 * dev servers with it, and starts PostgreSQL servers from Debian's `postgresql` binaries.
 *
 * @example
 * ```ts
 * import { findTemporalCli, startTemporalDevServer, startPostgres } from '@contextworker/dev-servers';
 *
 * const cliPath = await findTemporalCli({ log: console.error });
 * if (!cliPath) throw new Error('No Temporal CLI');
 * const temporal = await startTemporalDevServer({ cliPath, uiPort: 8233 });
 * const postgres = await startPostgres();
 * console.log(temporal.address, temporal.uiUrl, postgres.url);
 * await Promise.all([temporal.stop(), postgres.stop()]);
 * ```
 *
 * @module
 */
export {
  TEMPORAL_CLI_MODULE,
  TEMPORAL_CLI_VERSION,
  cachedTemporalCliPath,
  checkTemporalCliPath,
  findTemporalCli,
  temporalCliCacheDir,
  temporalCliNotFoundMessage,
  type FindTemporalCliOptions,
} from './temporal-cli.js';
export {
  startTemporalDevServer,
  temporalDevServerArgs,
  type StartTemporalDevServerOptions,
  type TemporalDevServer,
} from './temporal-dev-server.js';
export {
  POSTGRES_SUPERUSER,
  findPostgresBinaries,
  startPostgres,
  type PostgresBinaries,
  type PostgresServer,
  type StartPostgresOptions,
} from './postgres-server.js';
export { findFreePort } from './ports.js';

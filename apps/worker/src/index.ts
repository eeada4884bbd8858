/**
 * The ContextWorker deployable, usable from code as well as through the
 * `contextworker` command line.
 *
 * @example
 * ```ts
 * import { runWorker } from '@contextworker/worker';
 * import { WorkerConfig, createJsonLogger } from '@contextworker/core-temporal';
 *
 * await runWorker({ config: WorkerConfig.fromEnv(), logger: createJsonLogger(), modules: ['harvester'] });
 * ```
 *
 * @module
 */
export { runWorker, type RunWorkerOptions } from './run-worker.js';
export { buildProgram, main } from './program.js';
export { ExitCode, UsageError, exitCodeFor } from './exit-codes.js';
export { startHealthServer, type HealthServer, type HealthServerOptions } from './health-server.js';
export { WorkerMetrics } from './worker-metrics.js';

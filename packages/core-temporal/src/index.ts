/**
 * The Temporal foundation every ContextWorker package stands on: validated
 * configuration, the client and worker connections (TLS, API key, namespace),
 * the worker factory, JSON logging, metrics and graceful shutdown.
 *
 * @example
 * ```ts
 * import { WorkerConfig, connectWorker, createJsonLogger, createWorker, installRuntime, runWorkerUntilSignal } from '@contextworker/core-temporal';
 *
 * const config = WorkerConfig.fromEnv();
 * const logger = createJsonLogger({ level: config.worker.logLevel });
 * installRuntime({ logger, logLevel: config.worker.logLevel });
 * const connection = await connectWorker(config.temporal);
 * const worker = await createWorker({
 *   connection,
 *   namespace: config.temporal.namespace,
 *   settings: config.worker,
 *   workflows: { workflowsPath: new URL('./workflows.js', import.meta.url).pathname },
 *   activities,
 * });
 * await runWorkerUntilSignal(worker, { logger });
 * ```
 *
 * @module
 */
export {
  WorkerConfig,
  CONFIG_VARIABLES,
  type DatabaseConfig,
  type HarvestSettings,
  type LogLevelName,
  type TemporalConfig,
  type TemporalTlsConfig,
  type WorkerSettings,
} from './config.js';
export { parseCidr, type Cidr } from './env-parsers.js';
export { ConfigError, TemporalUnreachableError, type ConfigIssue } from './errors.js';
export {
  connectTemporal,
  connectWorker,
  getTemporalClient,
  loadTlsConfig,
  type ConnectRetryOptions,
  type TemporalConnectionOptions,
} from './connection.js';
export { createWorker, type CreateWorkerOptions, type WorkflowSource } from './worker-factory.js';
export { createJsonLogger, type JsonLogger, type JsonLoggerOptions } from './logger.js';
export { installRuntime, type RuntimeSetup } from './runtime.js';
export { runWorkerUntilSignal, type RunUntilSignalOptions } from './shutdown.js';

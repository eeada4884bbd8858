import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { connectWorker, installRuntime, runWorkerUntilSignal, type JsonLogger, type WorkerConfig } from '@contextworker/core-temporal';
import type { NativeConnection } from '@temporalio/worker';
import { BundleMismatchError, composeWorker } from '@contextworker/registry';
import { defaultBundlePath, findModules } from './find-modules.js';
import { startHealthServer } from './health-server.js';
import { WorkerMetrics } from './worker-metrics.js';

export interface RunWorkerOptions {
  config: WorkerConfig;
  logger: JsonLogger;
  /** Module names to run (all discovered when empty). */
  modules?: readonly string[];
  /** Resources this process already holds, shared with the modules (see composeWorker). */
  resources?: Readonly<Record<string, unknown>>;
  /** Aborted before the worker polls (a signal during start-up), the worker never starts. */
  stop?: AbortSignal;
  /** Called once the workers poll, with what they run. */
  onPolling?: (worker: PollingWorker) => void;
}

export interface PollingWorker {
  modules: readonly string[];
  taskQueue: string;
  workflowCode: 'prebuilt' | 'bundled' | 'none';
}

// An explicit bundle must exist; the default one is used only when present.
function chooseBundle(config: WorkerConfig): string | undefined {
  if (config.worker.bundlePath) {
    if (!existsSync(config.worker.bundlePath)) throw new BundleMismatchError(config.worker.bundlePath, 'the file does not exist');
    return config.worker.bundlePath;
  }
  const fallback = defaultBundlePath(config);
  return existsSync(fallback) ? fallback : undefined;
}

/** Runs the composed worker until SIGINT/SIGTERM, serving health and metrics meanwhile. */
export async function runWorker(options: RunWorkerOptions): Promise<void> {
  const started = performance.now();
  const { config, logger } = options;
  installRuntime({ logger, logLevel: config.worker.logLevel, ...(config.worker.sdkMetricsAddress ? { sdkMetricsAddress: config.worker.sdkMetricsAddress } : {}) });

  // Health first: /healthz answers and /readyz says "not ready" while modules load and workflows bundle.
  const metrics = new WorkerMetrics({ task_queue: config.worker.taskQueue });
  let isReady = () => false;
  metrics.setReadinessProbe(() => isReady());
  const health =
    config.worker.httpPort !== undefined
      ? await startHealthServer({ port: config.worker.httpPort, isReady: () => isReady(), metrics: metrics.registry })
      : undefined;
  if (health) logger.info('Health and metrics endpoints listening', { httpPort: health.port });

  let connection: NativeConnection | undefined;
  try {
    const discovered = await findModules(config, options.modules);
    if (discovered.length === 0) logger.warn('No worker modules found; the worker will poll but has nothing to run');
    const bundlePath = chooseBundle(config);
    connection = await connectWorker(config.temporal);
    const composed = await composeWorker({
      config,
      modules: discovered.map((entry) => entry.module),
      connection,
      logger,
      ...(bundlePath ? { bundlePath } : {}),
      ...(options.resources ? { resources: options.resources } : {}),
      extra: { identity: `${process.pid}@${hostname()}`, interceptors: { activity: [metrics.activityInterceptor] } },
    });
    isReady = () => composed.workers.every((worker) => worker.getState() === 'RUNNING');
    if (options.stop?.aborted) {
      await composed.dispose();
      return;
    }
    const running = runWorkerUntilSignal(composed.workers, { logger });
    logger.info('Worker polling', {
      taskQueue: config.worker.taskQueue,
      namespace: config.temporal.namespace,
      modules: composed.registry.modules,
      workflows: Object.keys(composed.registry.describe().workflows),
      activities: Object.keys(composed.registry.activities),
      workflowCode: composed.workflowCode,
      ...(composed.hostWorker ? { hostTaskQueue: composed.hostWorker.options.taskQueue } : {}),
      ...(bundlePath ? { bundlePath } : {}),
      startupMs: Math.round(performance.now() - started),
    });
    options.onPolling?.({ modules: composed.registry.modules, taskQueue: config.worker.taskQueue, workflowCode: composed.workflowCode });
    try {
      await running;
    } finally {
      await composed.dispose();
    }
  } finally {
    await health?.close();
    await connection?.close();
  }
}

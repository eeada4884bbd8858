import type { Logger } from '@temporalio/common';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createWorker, type CreateWorkerOptions, type WorkerConfig } from '@contextworker/core-temporal';
import { createModuleContext, scopedLogger } from './module-context.js';
import { HOST_TASK_QUEUE_ACTIVITY, type ModuleContext, type WorkerModule } from './module.js';
import { verifyPrebuiltBundle } from './prebuilt-bundle.js';
import { bundleModuleWorkflows } from './workflow-bundle.js';
import { WorkerRegistry } from './worker-registry.js';

export interface ComposeWorkerOptions {
  config: WorkerConfig;
  modules: readonly WorkerModule[];
  connection: NativeConnection;
  logger: Logger;
  /** A prebuilt bundle to use instead of bundling now; verified against the modules. */
  bundlePath?: string;
  /** Resources the caller holds and shares with the modules under these keys; the caller closes them. */
  resources?: Readonly<Record<string, unknown>>;
  extra?: CreateWorkerOptions['extra'];
}

export interface ComposedWorker {
  /** The worker on the shared task queue. */
  worker: Worker;
  /** The worker on this process's own queue, when a module has host activities. */
  hostWorker?: Worker;
  /** Every worker to run (`worker`, then `hostWorker`). */
  workers: Worker[];
  registry: WorkerRegistry;
  /** `prebuilt` (from bundlePath), `bundled` (at start-up) or `none` (activities only). */
  workflowCode: 'prebuilt' | 'bundled' | 'none';
  /** Closes what the modules opened; call after the worker has stopped. */
  dispose(): Promise<void>;
}

/** Registers modules into a fresh registry, each with a logger that names it. */
export async function registerModules(modules: readonly WorkerModule[], context: ModuleContext): Promise<WorkerRegistry> {
  const registry = new WorkerRegistry();
  for (const module of modules) {
    await registry.addModule(module, { ...context, logger: scopedLogger(context.logger, { module: module.name }) });
  }
  return registry;
}

/** Builds one Temporal worker from several modules: merged activities, one composed workflow bundle. */
export async function composeWorker(options: ComposeWorkerOptions): Promise<ComposedWorker> {
  const { config, logger } = options;
  const handle = createModuleContext(config, logger, options.resources);
  try {
    const registry = await registerModules(options.modules, handle.context);
    const sources = registry.workflowSources;
    let workflows: CreateWorkerOptions['workflows'] = { none: true };
    let workflowCode: ComposedWorker['workflowCode'] = 'none';
    if (sources.length > 0 && options.bundlePath) {
      verifyPrebuiltBundle(options.bundlePath, sources);
      workflows = { bundlePath: options.bundlePath };
      workflowCode = 'prebuilt';
    } else if (sources.length > 0) {
      const code = await bundleModuleWorkflows({ sources, logger });
      workflows = { code };
      workflowCode = 'bundled';
    }
    const hostActivities = registry.hostActivities;
    const hasHostActivities = Object.keys(hostActivities).length > 0;
    const hostTaskQueue = handle.context.hostTaskQueue;
    const worker = await createWorker({
      connection: options.connection,
      namespace: config.temporal.namespace,
      settings: config.worker,
      activities: {
        ...registry.activities,
        ...(hasHostActivities ? { [HOST_TASK_QUEUE_ACTIVITY]: async () => hostTaskQueue } : {}),
      },
      workflows,
      ...(options.extra ? { extra: options.extra } : {}),
    });
    const hostWorker = hasHostActivities
      ? await createWorker({
          connection: options.connection,
          namespace: config.temporal.namespace,
          settings: { ...config.worker, taskQueue: hostTaskQueue },
          activities: hostActivities,
          workflows: { none: true },
          ...(options.extra ? { extra: options.extra } : {}),
        })
      : undefined;
    return {
      worker,
      ...(hostWorker ? { hostWorker } : {}),
      workers: hostWorker ? [worker, hostWorker] : [worker],
      registry,
      workflowCode,
      dispose: () => handle.dispose(),
    };
  } catch (error) {
    await handle.dispose();
    throw error;
  }
}

import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { WorkerSettings } from './config.js';

/** Where the worker's workflow code comes from: a source entry to bundle, a prebuilt bundle file, bundled code, or none. */
export type WorkflowSource = { workflowsPath: string } | { bundlePath: string } | { code: string } | { none: true };

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  settings: Pick<WorkerSettings, 'taskQueue' | 'maxConcurrent' | 'shutdownGraceSeconds'>;
  activities?: Record<string, (...args: never[]) => unknown>;
  workflows: WorkflowSource;
  /** Anything else `Worker.create` accepts (interceptors, identity, bundler options...). */
  extra?: Omit<WorkerOptions, 'connection' | 'namespace' | 'taskQueue' | 'activities' | 'workflowsPath' | 'workflowBundle'>;
}

/**
 * Creates a Temporal worker with the deployment's settings applied:
 * `WORKER_MAX_CONCURRENT` bounds parallel activities, and the shutdown grace
 * period is how long in-flight activities may finish after SIGTERM.
 */
export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const { settings, workflows } = options;
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: settings.taskQueue,
    maxConcurrentActivityTaskExecutions: settings.maxConcurrent,
    shutdownGraceTime: `${settings.shutdownGraceSeconds}s`,
    ...(options.activities ? { activities: options.activities } : {}),
    ...('workflowsPath' in workflows ? { workflowsPath: workflows.workflowsPath } : {}),
    ...('bundlePath' in workflows ? { workflowBundle: { codePath: workflows.bundlePath } } : {}),
    ...('code' in workflows ? { workflowBundle: { code: workflows.code } } : {}),
    ...options.extra,
  });
}

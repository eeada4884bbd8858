import type { Logger } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';

export interface RunUntilSignalOptions {
  logger?: Logger;
  signals?: NodeJS.Signals[];
  /** Called once when the first signal arrives, before the worker starts draining. */
  onShutdownRequested?: (signal: NodeJS.Signals) => void;
}

/**
 * Runs a worker (or several, e.g. a shared-queue and a host-queue worker) until SIGINT or SIGTERM, then shuts it down gracefully:
 * polling stops, in-flight activities get the worker's grace period to finish,
 * and the promise resolves once the worker has stopped. A second signal does
 * not cut the drain short; a process manager's SIGKILL does.
 */
export async function runWorkerUntilSignal(worker: Worker | readonly Worker[], options: RunUntilSignalOptions = {}): Promise<void> {
  const workers = Array.isArray(worker) ? worker : [worker as Worker];
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  let requested = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (requested) {
      options.logger?.warn('Shutdown already in progress; waiting for in-flight activities', { signal });
      return;
    }
    requested = true;
    options.logger?.info('Shutdown requested; draining the worker', { signal });
    options.onShutdownRequested?.(signal);
    for (const one of workers) {
      try {
        one.shutdown();
      } catch (error) {
        // The worker was not running yet (or already stopping): nothing to drain.
        options.logger?.warn('Worker could not be shut down in its current state', { error, state: one.getState() });
      }
    }
  };
  for (const signal of signals) process.on(signal, onSignal);
  try {
    // If one worker fails, stop the others so the process does not half-run.
    await Promise.all(
      workers.map((one) =>
        one.run().catch((error: unknown) => {
          for (const other of workers) if (other !== one && other.getState() === 'RUNNING') other.shutdown();
          throw error;
        }),
      ),
    );
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
  }
  options.logger?.info('Worker stopped');
}

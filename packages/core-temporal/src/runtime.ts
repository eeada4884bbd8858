import { Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import type { Logger } from '@temporalio/common';
import type { WorkerSettings } from './config.js';

export interface RuntimeSetup {
  logger: Logger;
  logLevel: WorkerSettings['logLevel'];
  /** host:port for the SDK's Prometheus exporter (`/metrics`); omit to disable. */
  sdkMetricsAddress?: string;
}

/**
 * Installs the process-wide Temporal runtime once: our JSON logger for SDK and
 * core logs, optional Prometheus metrics, and no signal handlers of its own —
 * shutdown is driven by {@link runWorkerUntilSignal} so exit codes stay ours.
 */
export function installRuntime(setup: RuntimeSetup): Runtime {
  return Runtime.install({
    logger: setup.logger,
    shutdownSignals: [],
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: setup.logLevel === 'TRACE' ? 'TRACE' : 'WARN' }), forward: {} },
      ...(setup.sdkMetricsAddress ? { metrics: { prometheus: { bindAddress: setup.sdkMetricsAddress } } } : {}),
    },
  });
}

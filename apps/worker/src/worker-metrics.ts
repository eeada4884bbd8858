import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The worker's Prometheus metrics: process metrics, readiness and activity outcomes. */
export class WorkerMetrics {
  readonly registry = new Registry();
  #isReady: () => boolean = () => false;
  readonly ready: Gauge;
  readonly activities = new Counter({
    name: 'contextworker_activity_executions_total',
    help: 'Activity executions by activity type and outcome',
    labelNames: ['activity', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly activityDuration = new Histogram({
    name: 'contextworker_activity_duration_seconds',
    help: 'Activity execution time by activity type',
    labelNames: ['activity'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [this.registry],
  });

  constructor(labels: Record<string, string> = {}) {
    const probe = () => this.#isReady();
    this.ready = new Gauge({
      name: 'contextworker_worker_ready',
      help: '1 while the worker is polling its task queue',
      registers: [this.registry],
      // Read at scrape time, so the gauge never lags the worker's state.
      collect() {
        this.set(probe() ? 1 : 0);
      },
    });
    this.registry.setDefaultLabels(labels);
    collectDefaultMetrics({ register: this.registry });
  }

  /** Where the readiness gauge reads its value at scrape time. */
  setReadinessProbe(isReady: () => boolean): void {
    this.#isReady = isReady;
  }

  /** An activity interceptor that counts and times every execution. */
  readonly activityInterceptor: ActivityInterceptorsFactory = (ctx) => ({
    inbound: {
      execute: async (input, next) => {
        const activity = ctx.info.activityType;
        const stopTimer = this.activityDuration.startTimer({ activity });
        try {
          const result = await next(input);
          this.activities.inc({ activity, outcome: 'completed' });
          return result;
        } catch (error) {
          this.activities.inc({ activity, outcome: 'failed' });
          throw error;
        } finally {
          stopTimer();
        }
      },
    },
  });
}

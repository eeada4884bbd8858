import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Client } from '@temporalio/client';
import type { Logger } from '@temporalio/common';
import { getTemporalClient, type WorkerConfig } from '@contextworker/core-temporal';
import type { ModuleContext } from './module.js';

export interface ModuleContextHandle {
  context: ModuleContext;
  /** Disposes shared resources in reverse order of creation, and closes the client. */
  dispose(): Promise<void>;
}

/**
 * The shared dependencies handed to every module of one worker. `presetResources` are resources the
 * caller already holds (say, the one embedded catalog of a process): modules asking for those keys get
 * them, and closing them stays the caller's job.
 */
export function createModuleContext(config: WorkerConfig, logger: Logger, presetResources: Readonly<Record<string, unknown>> = {}): ModuleContextHandle {
  // Unique per process: two workers on one host still hold different staged files.
  const hostTaskQueue = `${config.worker.taskQueue}@${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const resources = new Map<string, Promise<unknown>>(Object.entries(presetResources).map(([key, value]) => [key, Promise.resolve(value)]));
  const disposers: (() => void | Promise<void>)[] = [];
  let client: Promise<Client> | undefined;

  const context: ModuleContext = {
    config,
    logger,
    hostTaskQueue,
    getClient() {
      const connecting = client ?? getTemporalClient(config.temporal);
      client = connecting;
      return connecting;
    },
    resource<T>(key: string, create: () => T | Promise<T>, dispose?: (value: T) => void | Promise<void>): Promise<T> {
      let existing = resources.get(key) as Promise<T> | undefined;
      if (!existing) {
        existing = Promise.resolve().then(create);
        resources.set(key, existing);
        if (dispose) disposers.push(async () => dispose(await existing!));
      }
      return existing;
    },
  };

  return {
    context,
    async dispose() {
      for (const disposeOne of disposers.reverse()) {
        try {
          await disposeOne();
        } catch (error) {
          logger.warn('A shared resource failed to close', { error });
        }
      }
      if (client) await (await client).connection.close();
    },
  };
}

/** A logger that adds `fields` to every line (works with any Temporal-style logger). */
export function scopedLogger(logger: Logger, fields: Record<string, unknown>): Logger {
  const merge = (meta?: Record<string, unknown>) => ({ ...fields, ...meta });
  return {
    log: (level, message, meta) => logger.log(level, message, merge(meta)),
    trace: (message, meta) => logger.trace(message, merge(meta)),
    debug: (message, meta) => logger.debug(message, merge(meta)),
    info: (message, meta) => logger.info(message, merge(meta)),
    warn: (message, meta) => logger.warn(message, merge(meta)),
    error: (message, meta) => logger.error(message, merge(meta)),
  };
}

import type { Command } from 'commander';
import { createJsonLogger } from '@contextworker/core-temporal';
import { loadConfig, type ConnectionFlags } from '../load-config.js';
import { runWorker } from '../run-worker.js';

export interface RunFlags extends ConnectionFlags {
  modules?: string[];
}

export function addConnectionOptions(command: Command): Command {
  return command
    .option('--temporal-host <host:port>', 'Temporal frontend (TEMPORAL_HOST)')
    .option('--namespace <name>', 'Temporal namespace (TEMPORAL_NAMESPACE)')
    .option('--task-queue <name>', 'task queue (WORKER_TASK_QUEUE)')
    .option('--project-dir <dir>', 'project directory with local modules/ and data (PROJECT_DIR)');
}

export async function runCommand(flags: RunFlags): Promise<void> {
  const config = loadConfig(flags);
  const logger = createJsonLogger({ level: config.worker.logLevel, base: { service: 'contextworker', pid: process.pid } });
  await runWorker({ config, logger, ...(flags.modules ? { modules: flags.modules } : {}) });
}

export function registerRunCommand(program: Command): void {
  addConnectionOptions(
    program
      .command('run', { isDefault: true })
      .description('run the worker with every discovered module (or those named with --modules)')
      .option('--modules <names...>', 'run only these modules')
      .option('--http-port <port>', 'serve /healthz, /readyz and /metrics on this port (WORKER_HTTP_PORT)')
      .option('--bundle <file>', 'use this prebuilt workflow bundle (WORKER_WORKFLOW_BUNDLE)'),
  ).action(runCommand);
}

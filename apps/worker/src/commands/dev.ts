import type { Command } from 'commander';
import { runDev, type DevFlags } from '../dev/run-dev.js';

export function registerDevCommand(program: Command): void {
  program
    .command('dev')
    .description(
      'run the whole path locally: a Temporal dev server with its web UI (unless TEMPORAL_HOST is set), the embedded ' +
        'database (unless DATABASE_URL is set), demo suppliers, the worker with every module, the default schedules, ' +
        'and one harvest; runs until Ctrl-C',
    )
    .option('--project-dir <dir>', 'where local data is kept, under .contextworker/ (PROJECT_DIR)')
    .option('--task-queue <name>', 'task queue (WORKER_TASK_QUEUE)')
    .option('--tenant-id <id>', 'tenant (TENANT_ID)')
    .option('--http-port <port>', 'serve /healthz, /readyz and /metrics on this port (WORKER_HTTP_PORT)')
    .option('--no-harvest', 'skip the first harvest of the demo suppliers')
    .action((flags: DevFlags) => runDev(flags));
}

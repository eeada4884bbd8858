import { InvalidArgumentError, type Command } from 'commander';
import { getTemporalClient, type WorkerConfig } from '@contextworker/core-temporal';
import {
  OVERLAP_POLICIES,
  ScheduleManager,
  formatScheduleDetails,
  formatScheduleTable,
  formatSyncPlan,
  type OverlapPolicy,
} from '@contextworker/schedules';
import { UsageError } from '../exit-codes.js';
import { desiredSchedules } from '../desired-schedules.js';
import { loadConfig, type ConnectionFlags } from '../load-config.js';
import { addConnectionOptions } from './run.js';

interface OutputFlags extends ConnectionFlags {
  json?: boolean;
}

function parseOverlap(value: string): OverlapPolicy {
  const policy = value.trim().toUpperCase().replace(/-/g, '_') as OverlapPolicy;
  if (!OVERLAP_POLICIES.includes(policy)) throw new InvalidArgumentError(`expected one of ${OVERLAP_POLICIES.join(', ')}`);
  return policy;
}

function parseTime(value: string): Date {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new InvalidArgumentError('expected an ISO 8601 time such as 2024-01-01T00:00:00Z');
  return time;
}

const print = (text: string): void => {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
};
const printJson = (value: unknown): void => print(JSON.stringify(value, null, 2));

async function withManager(flags: ConnectionFlags, fn: (manager: ScheduleManager, config: WorkerConfig) => Promise<void>): Promise<void> {
  const config = loadConfig(flags);
  const client = await getTemporalClient(config.temporal);
  try {
    await fn(new ScheduleManager(client), config);
  } finally {
    await client.connection.close();
  }
}

function reconcile(options: { dryRun: boolean; prune: boolean }) {
  return (flags: OutputFlags) =>
    withManager(flags, async (manager, config) => {
      const desired = await desiredSchedules(config);
      const result = await manager.sync(desired, { ...options, tenantId: config.tenantId, taskQueue: config.worker.taskQueue });
      if (flags.json) printJson(result);
      else print(formatSyncPlan(result.plan, { applied: result.applied }));
    });
}

/** `contextworker schedules ...`: Temporal Schedules of the tenant, compatible with `temporal schedule`. */
export function registerSchedulesCommand(program: Command): void {
  const schedules = program.command('schedules').description('create, inspect and reconcile the Temporal Schedules of a tenant');
  const sub = (name: string, description: string): Command => addConnectionOptions(schedules.command(name).description(description));

  sub('create', "create the tenant's default schedules and those the modules declare; existing ones are updated, keeping paused state and note")
    .option('--tenant-id <id>', 'tenant (TENANT_ID)')
    .option('--json', 'print JSON')
    .action(async (flags: OutputFlags) => reconcile({ dryRun: false, prune: false })(flags));

  sub('sync', 'reconcile the desired schedules with Temporal: create, update and, with --prune, delete our strays')
    .option('--tenant-id <id>', 'tenant (TENANT_ID)')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--prune', 'delete schedules that carry our owner tag (for this tenant) but are no longer desired')
    .option('--json', 'print JSON')
    .action(async (flags: OutputFlags & { dryRun?: boolean; prune?: boolean }) =>
      reconcile({ dryRun: flags.dryRun ?? false, prune: flags.prune ?? false })(flags),
    );

  sub('list', 'list the schedules of the namespace: id, workflow, spec, next run, paused, last result')
    .option('--owned', 'only schedules made by contextworker')
    .option('--json', 'print JSON')
    .action(async (flags: OutputFlags & { owned?: boolean }) =>
      withManager(flags, async (manager) => {
        const found = await manager.list({ owned: flags.owned ?? false });
        if (flags.json) printJson(found);
        else print(formatScheduleTable(found));
      }),
    );

  sub('describe', 'show one schedule in detail')
    .argument('<id>', 'schedule id')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: OutputFlags) =>
      withManager(flags, async (manager) => {
        const details = await manager.describe(id);
        if (flags.json) printJson(details);
        else print(formatScheduleDetails(details));
      }),
    );

  sub('pause', 'pause a schedule')
    .argument('<id>', 'schedule id')
    .option('--note <text>', 'why it is paused')
    .action(async (id: string, flags: ConnectionFlags & { note?: string }) =>
      withManager(flags, async (manager) => {
        await manager.pause(id, flags.note);
        print(`Paused ${id}`);
      }),
    );

  sub('unpause', 'resume a paused schedule')
    .argument('<id>', 'schedule id')
    .option('--note <text>', 'why it resumes')
    .action(async (id: string, flags: ConnectionFlags & { note?: string }) =>
      withManager(flags, async (manager) => {
        await manager.unpause(id, flags.note);
        print(`Unpaused ${id}`);
      }),
    );

  sub('trigger', 'start a run now')
    .argument('<id>', 'schedule id')
    .option('--overlap <policy>', `overlap policy for this run: ${OVERLAP_POLICIES.join(', ')} (default ALLOW_ALL)`, parseOverlap)
    .action(async (id: string, flags: ConnectionFlags & { overlap?: OverlapPolicy }) =>
      withManager(flags, async (manager) => {
        await manager.trigger(id, flags.overlap);
        print(`Triggered ${id}`);
      }),
    );

  sub('delete', 'delete a schedule (runs it started keep running)')
    .argument('<id>', 'schedule id')
    .action(async (id: string, flags: ConnectionFlags) =>
      withManager(flags, async (manager) => {
        await manager.delete(id);
        print(`Deleted ${id}`);
      }),
    );

  sub('backfill', 'take the runs the schedule would have taken between two times (both inclusive)')
    .argument('<id>', 'schedule id')
    .requiredOption('--from <time>', 'start, ISO 8601', parseTime)
    .requiredOption('--to <time>', 'end, ISO 8601', parseTime)
    .option('--overlap <policy>', `overlap policy for the backfilled runs (default SKIP)`, parseOverlap)
    .action(async (id: string, flags: ConnectionFlags & { from: Date; to: Date; overlap?: OverlapPolicy }) => {
      if (flags.to < flags.from) throw new UsageError('--to must not be before --from');
      await withManager(flags, async (manager) => {
        await manager.backfill(id, { from: flags.from, to: flags.to, ...(flags.overlap ? { overlap: flags.overlap } : {}) });
        print(`Backfilled ${id} from ${flags.from.toISOString()} to ${flags.to.toISOString()}`);
      });
    });

  // main() overrides exits on top-level commands only; nested ones must throw too, not call process.exit.
  schedules.exitOverride();
  for (const command of schedules.commands) command.exitOverride();
}

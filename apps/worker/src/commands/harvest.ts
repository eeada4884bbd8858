import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { WorkflowFailedError } from '@temporalio/client';
import { getTemporalClient } from '@contextworker/core-temporal';
import { loadConfig, type ConnectionFlags } from '../load-config.js';
import { readHarvestProgress, renderProgress } from './harvest-progress.js';
import { addConnectionOptions } from './run.js';

interface HarvestFlags extends ConnectionFlags {
  wait?: boolean;
  dryRun?: boolean;
  force?: boolean;
  enrich?: boolean;
  json?: boolean;
}

/** Thrown when a waited-for harvest ends in failure; says why, from the innermost cause. */
export class HarvestFailedError extends Error {
  override readonly name = 'HarvestFailedError';
  constructor(
    readonly workflowId: string,
    cause: WorkflowFailedError,
  ) {
    let inner: unknown = cause.cause;
    while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
    super(`Harvest ${workflowId} failed: ${inner instanceof Error ? inner.message : cause.message}`, { cause });
  }
}

function printResult(result: Record<string, unknown>, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const keys = ['status', 'harvestRunId', 'created', 'updated', 'unchanged', 'invalid', 'duplicates', 'errors', 'markedMissing', 'wouldBeMissing', 'removalRefused', 'enrichmentWorkflowId'];
  for (const key of keys) {
    if (result[key] === undefined) continue;
    const value = typeof result[key] === 'object' ? JSON.stringify(result[key]) : String(result[key]);
    process.stdout.write(`${key.padEnd(22)}${value}\n`);
  }
}

export function registerHarvestCommand(program: Command): void {
  addConnectionOptions(
    program
      .command('harvest')
      .description('start a harvest of one supplier (HarvestWorkflow)')
      .argument('<supplier>', 'supplier id')
      .option('--tenant-id <id>', 'tenant (TENANT_ID)')
      .option('--wait', 'wait for the result, showing progress')
      .option('--dry-run', 'report new / changed / unchanged / missing without writing products or starting enrichment')
      .option('--force', 'harvest even an unchanged feed, and remove missing products despite the shrink guard')
      .option('--no-enrich', 'do not start enrichment for created products')
      .option('--json', 'print the result as JSON (with --wait)'),
  ).action(async (supplierId: string, flags: HarvestFlags) => {
    const config = loadConfig(flags);
    const client = await getTemporalClient(config.temporal);
    try {
      const workflowId = `harvest-${config.tenantId}-${supplierId}-${flags.dryRun ? 'dry-run-' : ''}${Date.now()}`;
      const handle = await client.workflow.start('HarvestWorkflow', {
        taskQueue: config.worker.taskQueue,
        workflowId,
        args: [{ tenantId: config.tenantId, supplierId, force: flags.force === true, dryRun: flags.dryRun === true, enrich: flags.enrich !== false }],
      });
      process.stderr.write(`Started ${workflowId}\n`);
      if (!flags.wait) return;

      const started = Date.now();
      const interactive = process.stderr.isTTY === true;
      let lastLine = 0;
      const result = handle.result();
      let settled = false;
      void result.then(
        () => (settled = true),
        () => (settled = true),
      );
      while (!settled) {
        const snapshot = await readHarvestProgress(handle);
        if (snapshot) {
          const line = renderProgress(snapshot, Date.now() - started);
          if (interactive) process.stderr.write(`\r${line}\x1b[K`);
          else if (Date.now() - lastLine > 5_000) {
            process.stderr.write(`${line}\n`);
            lastLine = Date.now();
          }
        }
        await Promise.race([result.catch(() => undefined), sleep(500)]);
      }
      if (interactive) process.stderr.write('\n');
      try {
        printResult((await result) as Record<string, unknown>, flags.json);
      } catch (error) {
        if (error instanceof WorkflowFailedError) throw new HarvestFailedError(workflowId, error);
        throw error;
      }
    } finally {
      await client.connection.close();
    }
  });
}

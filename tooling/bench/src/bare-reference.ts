// Runs the bare workflow (one no-op activity) back to back on its own
// in-process worker against the same Temporal server.
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';

export interface BareTiming {
  runs: number;
  seconds: number;
  meanMs: number;
}

/** The bare workflow's bundle; built while the worker's own bundle is built, so the run does not wait for it later. */
export function bundleBareWorkflow(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./bare-workflow.ts', import.meta.url)), logger: new DefaultLogger('WARN') });
}

export async function measureBareWorkflow(client: Client, address: string, runs: number, workflowBundle: WorkflowBundle): Promise<BareTiming> {
  const taskQueue = 'bench-bare';
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address });
  try {
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowBundle,
      activities: { noop: async () => {} },
    });
    return await worker.runUntil(async () => {
      // One warm-up run: the first workflow task loads the bundle.
      await client.workflow.execute('BareWorkflow', { taskQueue, workflowId: `bench-bare-warmup-${Date.now()}` });
      const started = performance.now();
      for (let i = 0; i < runs; i++) await client.workflow.execute('BareWorkflow', { taskQueue, workflowId: `bench-bare-${Date.now()}-${i}` });
      const seconds = (performance.now() - started) / 1000;
      return { runs, seconds, meanMs: (seconds * 1000) / runs };
    });
  } finally {
    await connection.close();
  }
}

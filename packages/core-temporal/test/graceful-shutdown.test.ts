import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestClient, temporalAddress, uniqueTaskQueue } from '@contextworker/test-utils';
import { describe, expect, it } from 'vitest';

async function waitForFile(path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${path}`);
    await sleep(50);
  }
}

describe('graceful shutdown', () => {
  it('lets the in-flight activity finish after SIGTERM and exits 0', async () => {
    const markerDir = mkdtempSync(join(tmpdir(), 'cw-sigterm-'));
    const taskQueue = uniqueTaskQueue('core-sigterm');
    const script = fileURLToPath(new URL('./fixtures/sigterm-worker.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, TEMPORAL_HOST: temporalAddress(), WORKER_TASK_QUEUE: taskQueue, WORKER_SHUTDOWN_GRACE_SECONDS: '30', MARKER_DIR: markerDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    await waitForFile(join(markerDir, 'ready'), 60_000).catch((error) => {
      throw new Error(`${(error as Error).message}\n${output}`);
    });
    const client = await createTestClient();
    const handle = await client.workflow.start('slowWorkflow', { taskQueue, workflowId: `${taskQueue}-wf`, args: [2_000] });
    await waitForFile(join(markerDir, 'started'), 30_000);
    expect(existsSync(join(markerDir, 'finished'))).toBe(false);

    child.kill('SIGTERM');
    const code = await exited;

    expect(code, output).toBe(0);
    expect(readFileSync(join(markerDir, 'finished'), 'utf8')).toBe(String(child.pid));
    // The activity's result reached the server before the process left
    // (the workflow itself continues on whichever worker polls next).
    const history = await handle.fetchHistory();
    const completed = history.events?.filter((event) => event.activityTaskCompletedEventAttributes) ?? [];
    expect(completed).toHaveLength(1);
    expect(output).toContain('Shutdown requested');
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort } from '@contextworker/dev-servers';
import { createTestClient, makeDeployment, temporalAddress, uniqueTaskQueue } from '@contextworker/test-utils';
import { describe, expect, it } from 'vitest';
import { httpStatus, runCli, startCli, waitFor } from './cli-process.js';

function workerEnv(projectDir: string, taskQueue: string, extra: Record<string, string> = {}): Record<string, string> {
  return { TEMPORAL_HOST: temporalAddress(), PROJECT_DIR: projectDir, WORKER_TASK_QUEUE: taskQueue, WORKER_SHUTDOWN_GRACE_SECONDS: '5', ...extra };
}

describe('contextworker run', () => {
  it('turns ready only once polling, serves metrics, and drains on SIGTERM with exit 0', async () => {
    const { projectDir } = makeDeployment([{ name: 'shop-local' }]);
    const taskQueue = uniqueTaskQueue('cli-ready');
    const port = await findFreePort();
    const worker = startCli(['run', '--modules', 'shop-local', '--http-port', String(port)], workerEnv(projectDir, taskQueue));
    const base = `http://127.0.0.1:${port}`;

    await waitFor(async () => ((await httpStatus(`${base}/healthz`)) === 200 ? true : undefined), `/healthz\n${worker.output()}`);
    // Still loading modules and bundling workflows: alive, not ready.
    expect(await httpStatus(`${base}/readyz`)).toBe(503);
    await waitFor(async () => ((await httpStatus(`${base}/readyz`)) === 200 ? true : undefined), `/readyz\n${worker.output()}`);

    const client = await createTestClient();
    const result = await client.workflow.execute('shopLocalWorkflow', { taskQueue, workflowId: `${taskQueue}-wf`, args: ['hi'] });
    expect(result).toMatchObject({ module: 'shop-local', input: 'hi', pid: worker.child.pid });

    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/contextworker_worker_ready\{task_queue="[^"]+"\} 1/);
    expect(metrics).toMatch(/contextworker_activity_executions_total\{activity="shopLocalActivity",outcome="completed",task_queue="[^"]+"\} 1/);

    worker.child.kill('SIGTERM');
    expect(await worker.exited, worker.output()).toBe(0);
    const messages = worker.logs().map((line) => line.msg);
    expect(messages).toEqual(expect.arrayContaining(['Worker polling', 'Shutdown requested; draining the worker', 'Worker stopped']));
    await client.connection.close();
  });

  it('shares a batch of workflows across three worker processes on one task queue', async () => {
    const { projectDir } = makeDeployment([{ name: 'shop-local' }]);
    const taskQueue = uniqueTaskQueue('cli-three');
    const workers = [0, 1, 2].map(() => startCli(['run', '--modules', 'shop-local'], workerEnv(projectDir, taskQueue)));
    try {
      for (const worker of workers) {
        await waitFor(() => (worker.logs().some((l) => l.msg === 'Worker polling') ? true : undefined), `worker start\n${worker.output()}`);
      }
      const client = await createTestClient();
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          client.workflow.execute('shopLocalWorkflow', { taskQueue, workflowId: `${taskQueue}-${i}`, args: [i] }),
        ),
      );
      expect(results.map((r) => (r as { input: number }).input).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      const pids = new Set(results.map((r) => (r as { pid: number }).pid));
      const workerPids = new Set(workers.map((w) => w.child.pid));
      for (const pid of pids) expect(workerPids.has(pid)).toBe(true);
      expect(pids.size).toBeGreaterThan(1);
      await client.connection.close();
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
      const codes = await Promise.all(workers.map((w) => w.exited));
      expect(codes).toEqual([0, 0, 0]);
    }
  });

  it('uses a prebuilt bundle made by `contextworker bundle`, and refuses a mismatched one with exit 65', async () => {
    const { root, projectDir } = makeDeployment([{ name: 'shop-local' }]);
    const taskQueue = uniqueTaskQueue('cli-bundle');
    const bundlePath = join(root, 'prebuilt', 'workflows.js');
    const made = await runCli(['bundle', '--modules', 'shop-local', '--out', bundlePath], workerEnv(projectDir, taskQueue));
    expect(made.code, made.output).toBe(0);
    expect(made.output).toContain(`Wrote ${bundlePath}`);

    const worker = startCli(['run', '--modules', 'shop-local', '--bundle', bundlePath], workerEnv(projectDir, taskQueue));
    const ready = await waitFor(() => worker.logs().find((l) => l.msg === 'Worker polling'), `worker start\n${worker.output()}`);
    expect(ready).toMatchObject({ workflowCode: 'prebuilt', bundlePath });
    const client = await createTestClient();
    expect(await client.workflow.execute('shopLocalWorkflow', { taskQueue, workflowId: `${taskQueue}-wf`, args: [1] })).toMatchObject({ input: 1 });
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    await client.connection.close();

    const manifestPath = bundlePath.replace(/\.js$/, '.manifest.json');
    writeFileSync(manifestPath, readFileSync(manifestPath, 'utf8').replace(/"sdkVersion": "[^"]+"/, '"sdkVersion": "0.9.0"'));
    const refused = await runCli(['run', '--modules', 'shop-local', '--bundle', bundlePath], workerEnv(projectDir, taskQueue));
    expect(refused.code).toBe(65);
    expect(refused.output).toContain('made by @temporalio/worker 0.9.0');
  });
});

describe('contextworker exit codes', () => {
  it('exits 64 for an unknown module, listing the available ones', async () => {
    const { projectDir } = makeDeployment([{ name: 'shop-local' }]);
    const { code, output } = await runCli(['run', '--modules', 'shop-local', 'nope'], workerEnv(projectDir, 'unused'));
    expect(code).toBe(64);
    expect(output).toMatch(/Unknown module: nope\. Available: .*shop-local/);
  });

  it('exits 78 listing every bad variable', async () => {
    const { code, output } = await runCli(['run'], { WORKER_MAX_CONCURRENT: 'many', TENANT_ID: 'Not Valid' });
    expect(code).toBe(78);
    expect(output).toContain('WORKER_MAX_CONCURRENT');
    expect(output).toContain('TENANT_ID');
  });

  it('exits 69 naming the address when Temporal cannot be reached', async () => {
    const { projectDir } = makeDeployment([{ name: 'shop-local' }]);
    const { code, output } = await runCli(['run'], workerEnv(projectDir, 'unused', { TEMPORAL_HOST: '127.0.0.1:1' }));
    expect(code).toBe(69);
    expect(output).toContain('Cannot reach Temporal at 127.0.0.1:1');
  });

  it('exits 64 for an unknown flag, and 0 for --help and --version', async () => {
    expect((await runCli(['run', '--no-such-flag'], {})).code).toBe(64);
    expect((await runCli(['--help'], {})).code).toBe(0);
    const version = await runCli(['--version'], {});
    expect(version.code).toBe(0);
    expect(version.output.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerConfig, connectWorker, createJsonLogger } from '@contextworker/core-temporal';
import { createTestClient, temporalAddress, uniqueTaskQueue } from '@contextworker/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NativeConnection } from '@temporalio/worker';
import {
  BundleMismatchError,
  DuplicateRegistrationError,
  bundleManifestPath,
  composeWorker,
  createModuleContext,
  registerModules,
  discoverModules,
  writePrebuiltBundle,
  type WorkerModule,
} from '../src/index.js';
import { makeDeployment } from '@contextworker/test-utils';

const logger = createJsonLogger({ level: 'WARN' });
let connection: NativeConnection;

function configFor(taskQueue: string) {
  return WorkerConfig.fromEnv({ TEMPORAL_HOST: temporalAddress(), WORKER_TASK_QUEUE: taskQueue, TENANT_ID: 'acme', WORKER_SHUTDOWN_GRACE_SECONDS: '1' });
}

async function modulesOf(deployment: ReturnType<typeof makeDeployment>): Promise<WorkerModule[]> {
  return (await discoverModules({ projectDir: deployment.projectDir, manifests: [deployment.manifest] })).map((f) => f.module);
}

beforeAll(async () => {
  connection = await connectWorker({ host: temporalAddress(), namespace: 'default' });
});
afterAll(async () => {
  await connection?.close();
});

describe('composeWorker', () => {
  it('runs the workflows and activities of two packages in one worker', async () => {
    const deployment = makeDeployment([
      { name: 'alpha', packageName: 'alpha-pkg' },
      { name: 'beta', packageName: '@shop/beta' },
    ]);
    const taskQueue = uniqueTaskQueue('registry-two');
    const composed = await composeWorker({ config: configFor(taskQueue), modules: await modulesOf(deployment), connection, logger });
    expect(composed.workflowCode).toBe('bundled');
    expect(composed.registry.describe()).toEqual({
      activities: { alphaActivity: 'alpha', betaActivity: 'beta' },
      workflows: { alphaWorkflow: 'alpha', betaWorkflow: 'beta' },
    });
    const client = await createTestClient();
    const [a, b] = await composed.worker.runUntil(
      Promise.all([
        client.workflow.execute('alphaWorkflow', { taskQueue, workflowId: `${taskQueue}-a`, args: ['x'] }),
        client.workflow.execute('betaWorkflow', { taskQueue, workflowId: `${taskQueue}-b`, args: ['y'] }),
      ]),
    );
    expect(a).toMatchObject({ module: 'alpha', activity: 'alphaActivity', input: 'x', tenant: 'acme', pid: process.pid });
    expect(b).toMatchObject({ module: 'beta', activity: 'betaActivity', input: 'y', tenant: 'acme' });
    await composed.dispose();
  });

  it('refuses two modules that export the same workflow name', async () => {
    const deployment = makeDeployment([
      { name: 'alpha', packageName: 'alpha-pkg', extraWorkflows: ['SharedWorkflow'] },
      { name: 'beta', packageName: 'beta-pkg', extraWorkflows: ['SharedWorkflow'] },
    ]);
    const error = await composeWorker({ config: configFor('unused'), modules: await modulesOf(deployment), connection, logger }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateRegistrationError);
    expect((error as Error).message).toContain('Workflow "SharedWorkflow" is registered by both module "alpha" and module "beta"');
  });

  it('refuses two modules that register the same activity name', async () => {
    const deployment = makeDeployment([
      { name: 'alpha', packageName: 'alpha-pkg', activities: ['sendEmail'] },
      { name: 'beta', packageName: 'beta-pkg', activities: ['sendEmail'] },
    ]);
    const error = await composeWorker({ config: configFor('unused'), modules: await modulesOf(deployment), connection, logger }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('Activity "sendEmail" is registered by both module "alpha" and module "beta"');
  });

  it('picks up a local PROJECT_DIR/modules module and runs it', async () => {
    const deployment = makeDeployment([{ name: 'shop-local' }]);
    const taskQueue = uniqueTaskQueue('registry-local');
    const composed = await composeWorker({ config: configFor(taskQueue), modules: await modulesOf(deployment), connection, logger });
    const client = await createTestClient();
    const result = await composed.worker.runUntil(
      client.workflow.execute('shopLocalWorkflow', { taskQueue, workflowId: `${taskQueue}-wf`, args: [42] }),
    );
    expect(result).toMatchObject({ module: 'shop-local', input: 42 });
    await composed.dispose();
  });
});

describe('host activities', () => {
  it('serves them on a queue only this worker polls, which workflows learn from resolveHostTaskQueue', async () => {
    const deployment = makeDeployment([{ name: 'stager', packageName: 'stager-pkg', host: true }]);
    const taskQueue = uniqueTaskQueue('registry-host');
    const composed = await composeWorker({ config: configFor(taskQueue), modules: await modulesOf(deployment), connection, logger });
    expect(composed.workers).toHaveLength(2);
    const hostQueue = composed.hostWorker?.options.taskQueue;
    expect(hostQueue).toMatch(new RegExp(`^${taskQueue}@.+-${process.pid}-[0-9a-f]{6}$`));
    const client = await createTestClient();
    const [main, host] = composed.workers;
    const result = await main!.runUntil(
      host!.runUntil(client.workflow.execute('stagerHostWorkflow', { taskQueue, workflowId: `${taskQueue}-wf`, args: ['file-1'] })),
    );
    expect(result).toEqual({ hostTaskQueue: hostQueue, result: { input: 'file-1', pid: process.pid, hostTaskQueue: hostQueue } });
    await composed.dispose();
  });
});

describe('prebuilt workflow bundle', () => {
  it('is used when given, and refused when made for other modules or another SDK version', async () => {
    const deployment = makeDeployment([
      { name: 'alpha', packageName: 'alpha-pkg' },
      { name: 'beta', packageName: 'beta-pkg' },
    ]);
    const modules = await modulesOf(deployment);
    const taskQueue = uniqueTaskQueue('registry-prebuilt');
    const context = createModuleContext(configFor(taskQueue), logger);
    const registry = await registerModules(modules, context.context);
    const outFile = join(deployment.root, 'bundle', 'workflow-bundle.js');
    const manifest = await writePrebuiltBundle({ sources: registry.workflowSources, outFile });
    await context.dispose();
    expect(manifest.modules.map((m) => m.name)).toEqual(['alpha', 'beta']);

    const composed = await composeWorker({ config: configFor(taskQueue), modules, connection, logger, bundlePath: outFile });
    expect(composed.workflowCode).toBe('prebuilt');
    const client = await createTestClient();
    const result = await composed.worker.runUntil(
      client.workflow.execute('betaWorkflow', { taskQueue, workflowId: `${taskQueue}-wf`, args: ['z'] }),
    );
    expect(result).toMatchObject({ module: 'beta', input: 'z' });
    await composed.dispose();

    // Only one module selected: the bundle holds workflows this worker would not serve.
    const narrowed = await composeWorker({ config: configFor(taskQueue), modules: modules.slice(0, 1), connection, logger, bundlePath: outFile }).catch(
      (e: unknown) => e,
    );
    expect(narrowed).toBeInstanceOf(BundleMismatchError);
    expect((narrowed as Error).message).toMatch(/it holds alpha \[alphaWorkflow\]; beta \[betaWorkflow\], but this worker runs alpha \[alphaWorkflow\]/);

    const manifestPath = bundleManifestPath(outFile);
    writeFileSync(manifestPath, readFileSync(manifestPath, 'utf8').replace(/"sdkVersion": "[^"]+"/, '"sdkVersion": "1.0.0"'));
    const stale = await composeWorker({ config: configFor(taskQueue), modules, connection, logger, bundlePath: outFile }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(BundleMismatchError);
    expect((stale as Error).message).toContain('made by @temporalio/worker 1.0.0, but this worker runs 1.24.0');
  });
});

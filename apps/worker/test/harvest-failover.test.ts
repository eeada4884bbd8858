import { setTimeout as sleep } from 'node:timers/promises';
import {
  connectDatabase,
  createTestClient,
  createTestDatabase,
  startFeedServer,
  temporalAddress,
  uniqueSuffix,
  uniqueTaskQueue,
  type FeedServer,
  type TestDatabase,
} from '@contextworker/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, waitFor, type CliProcess } from './cli-process.js';

const TOTAL = 150_000;

describe('the worker holding a harvest\'s staged files dies (kill -9) while storing', () => {
  let database: TestDatabase;
  let feeds: FeedServer;
  let workers: CliProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase('failover');
    feeds = await startFeedServer();
    const lines = ['sku;name;price;currency'];
    for (let i = 1; i <= TOTAL; i++) lines.push(`sku-${i};Tent ${i};${(i % 900) + 10}.00;EUR`);
    feeds.set('/big.csv', { body: lines.join('\n') + '\n' });
    env = {
      TEMPORAL_HOST: temporalAddress(),
      DATABASE_URL: database.url,
      WORKER_TASK_QUEUE: uniqueTaskQueue('failover'),
      HARVEST_ALLOW_NETWORKS: '127.0.0.1/32',
      TENANT_ID: 'shop',
    };
    expect((await runCli(['migrate'], env)).code).toBe(0);
    expect((await runCli(['suppliers', 'add', 'big', '--feed-url', feeds.url('/big.csv'), '--format', 'csv'], env)).code).toBe(0);
    workers = [startCli(['run', '--modules', 'harvester'], env), startCli(['run', '--modules', 'harvester'], env)];
    for (const worker of workers) {
      await waitFor(() => (worker.logs().some((l) => l.msg === 'Worker polling') ? true : undefined), `worker start\n${worker.output()}`);
    }
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await feeds?.close();
    await database?.drop();
  });

  it('starts over on the other worker, resumes from the checkpoint, and counts every product exactly once', async () => {
    const client = await createTestClient();
    const handle = await client.workflow.start('HarvestWorkflow', {
      taskQueue: env.WORKER_TASK_QUEUE!,
      workflowId: `failover-${uniqueSuffix()}`,
      args: [{ tenantId: 'shop', supplierId: 'big', enrich: false, hostTimeouts: { scheduleToStart: '5s', heartbeat: '5s' } }],
    });

    const sql = connectDatabase(database.url);
    const holder = await waitFor(
      async () => {
        const [row] = await sql<{ stored: number | null }[]>`select (store_progress->>'recordsStored')::int as stored from harvest_runs where supplier_id = 'big'`;
        if (!row?.stored || row.stored >= TOTAL) return undefined;
        const description = await handle.describe();
        const store = description.raw.pendingActivities?.find((a) => a.activityType?.name === 'parseAndStoreProducts');
        return store?.lastWorkerIdentity ?? undefined;
      },
      'the store step to be under way',
      60_000,
    );
    const victim = workers.find((w) => holder.startsWith(`${w.child.pid}@`));
    expect(victim, `holder ${holder}`).toBeDefined();
    victim!.child.kill('SIGKILL');
    await victim!.exited;

    const result = await handle.result();
    expect(result).toMatchObject({ status: 'completed', created: TOTAL, updated: 0, unchanged: 0, invalid: 0 });
    const [count] = await sql<{ n: number }[]>`select count(*)::int as n from dealer_products where tenant_id = 'shop' and supplier_id = 'big'`;
    expect(count?.n).toBe(TOTAL);
    // It really started over: the store step was scheduled on a second worker's host queue.
    const history = await handle.fetchHistory();
    const storeQueues = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes)
      .filter((a) => a?.activityType?.name === 'parseAndStoreProducts')
      .map((a) => a?.taskQueue?.name);
    expect(new Set(storeQueues).size).toBeGreaterThanOrEqual(2);
    await sql.end();
    await client.connection.close();
    await sleep(0);
  });
});

import { createTestDatabase, startFeedServer, temporalAddress, uniqueTaskQueue, type FeedServer, type TestDatabase } from '@contextworker/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, waitFor, type CliProcess } from './cli-process.js';

const rows = Array.from({ length: 300 }, (_, i) => `sku-${i + 1};Tent ${i + 1};${(99 + i).toFixed(2)};EUR`);
const FEED = ['sku;name;price;currency', ...rows].join('\n') + '\n';

describe('contextworker migrate, suppliers add, harvest --wait against a worker process', () => {
  let database: TestDatabase;
  let feeds: FeedServer;
  let worker: CliProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase('harvest_cli');
    feeds = await startFeedServer();
    feeds.set('/demo.csv', { body: FEED, contentType: 'text/csv; charset=utf-8' });
    env = {
      TEMPORAL_HOST: temporalAddress(),
      DATABASE_URL: database.url,
      WORKER_TASK_QUEUE: uniqueTaskQueue('harvest-cli'),
      HARVEST_ALLOW_NETWORKS: '127.0.0.1/32',
      TENANT_ID: 'demo-shop',
      WORKER_SHUTDOWN_GRACE_SECONDS: '5',
    };
    const migrated = await runCli(['migrate'], env);
    expect(migrated.code, migrated.output).toBe(0);
    worker = startCli(['run', '--modules', 'harvester'], env);
    await waitFor(() => (worker.logs().some((l) => l.msg === 'Worker polling') ? true : undefined), `worker start\n${worker.output()}`);
  });
  afterAll(async () => {
    if (worker) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    await feeds?.close();
    await database?.drop();
  });

  it('registers a supplier, harvests it, and finds the second harvest unchanged', async () => {
    const added = await runCli(['suppliers', 'add', 'demo', '--feed-url', feeds.url('/demo.csv'), '--format', 'csv'], env);
    expect(added.code, added.output).toBe(0);

    const first = await runCli(['harvest', 'demo', '--wait', '--json', '--no-enrich'], env);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/Started harvest-demo-shop-demo-\d+/);
    const result = JSON.parse(first.output.slice(first.output.indexOf('{'))) as Record<string, unknown>;
    expect(result).toMatchObject({ status: 'completed', tenantId: 'demo-shop', supplierId: 'demo', created: 300, updated: 0, invalid: 0 });

    // The feed is unchanged since, so a plain dry run would say so; --force compares every row.
    const dry = await runCli(['harvest', 'demo', '--wait', '--dry-run', '--force'], env);
    expect(dry.code, dry.output).toBe(0);
    expect(dry.output).toMatch(/status\s+dry-run/);
    expect(dry.output).toMatch(/unchanged\s+300/);

    const second = await runCli(['harvest', 'demo', '--wait'], env);
    expect(second.output).toMatch(/status\s+unchanged/);
  });

  it('fails a harvest of an unknown supplier with the reason and exit code 1', async () => {
    const missing = await runCli(['harvest', 'nope', '--wait'], env);
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/Harvest harvest-demo-shop-nope-\d+ failed: Supplier "nope" not found for tenant "demo-shop"/);
  });
});

import { connectDatabase, createTestClient, createTestDatabase, startFeedServer, temporalAddress, uniqueTaskQueue, type FeedServer, type TestDatabase } from '@contextworker/test-utils';
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
    worker = startCli(['run', '--modules', 'harvester', 'enrichment'], env);
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

    const first = await runCli(['harvest', 'demo', '--wait', '--json'], env);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/Started harvest-demo-shop-demo-\d+/);
    const result = JSON.parse(first.output.slice(first.output.indexOf('{'))) as Record<string, unknown>;
    expect(result).toMatchObject({ status: 'completed', tenantId: 'demo-shop', supplierId: 'demo', created: 300, updated: 0, invalid: 0 });
    expect(result.enrichmentWorkflowId).toBe(`enrichment-${String(result.harvestRunId)}`);

    // The harvest started enrichment of what it created; the built-in classifier files tents under a taxonomy id.
    const client = await createTestClient();
    const enrichment = await client.workflow.getHandle(String(result.enrichmentWorkflowId)).result();
    expect(enrichment).toMatchObject({ processed: 300, failed: 0 });
    await client.connection.close();
    const sql = connectDatabase(database.url);
    const statuses = await sql<{ status: string; category: string | null; n: number }[]>`
      select enrichment_status as status, enrichment_result->>'categoryId' as category, count(*)::int as n
      from dealer_products where tenant_id = 'demo-shop' group by 1, 2`;
    await sql.end();
    expect(statuses).toHaveLength(1);
    expect(statuses[0]).toMatchObject({ status: 'done', n: 300 });
    expect(statuses[0]?.category).toMatch(/^\d+$/);

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

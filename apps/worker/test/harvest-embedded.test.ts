import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFeedServer, temporalAddress, uniqueTaskQueue, type FeedServer } from '@contextworker/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, waitFor, type CliProcess } from './cli-process.js';

const FEED = ['sku,name,price,currency', ...Array.from({ length: 50 }, (_, i) => `e-${i + 1},Lamp ${i + 1},${i + 5}.00,EUR`)].join('\n') + '\n';

describe('with no DATABASE_URL: the embedded PostgreSQL under PROJECT_DIR', () => {
  let feeds: FeedServer;
  let worker: CliProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    feeds = await startFeedServer();
    feeds.set('/lamps.csv', { body: FEED });
    env = {
      TEMPORAL_HOST: temporalAddress(),
      PROJECT_DIR: mkdtempSync(join(tmpdir(), 'cw-embedded-')),
      WORKER_TASK_QUEUE: uniqueTaskQueue('embedded'),
      HARVEST_ALLOW_NETWORKS: '127.0.0.1/32',
      DATABASE_URL: '',
    };
  });
  afterAll(async () => {
    if (worker && worker.child.exitCode === null) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    await feeds?.close();
  });

  it('harvests into it, and refuses a second process while the worker holds it', async () => {
    const added = await runCli(['suppliers', 'add', 'lamps', '--feed-url', feeds.url('/lamps.csv'), '--format', 'csv'], env);
    expect(added.code, added.output).toBe(0);

    worker = startCli(['run', '--modules', 'harvester'], env);
    await waitFor(() => (worker!.logs().some((l) => l.msg === 'Worker polling') ? true : undefined), `worker start\n${worker.output()}`);
    const harvest = await runCli(['harvest', 'lamps', '--wait', '--json'], env);
    expect(harvest.code, harvest.output + worker.output()).toBe(0);
    expect(JSON.parse(harvest.output.slice(harvest.output.indexOf('{')))).toMatchObject({ status: 'completed', created: 50 });

    // The worker opened the embedded database: another process is told to use DATABASE_URL.
    const second = await runCli(['suppliers', 'list'], env);
    expect(second.code).toBe(78);
    expect(second.output).toContain('DATABASE_URL');

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const listed = await runCli(['suppliers', 'list', '--json'], env);
    expect(listed.code, listed.output).toBe(0);
    expect(JSON.parse(listed.output)).toMatchObject([{ id: 'lamps', lastContentHash: expect.any(String) }]);
  });
});

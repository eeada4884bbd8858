import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestClient, temporalAddress, uniqueTaskQueue } from '@contextworker/test-utils';
import { describe, expect, it } from 'vitest';
import { TemporalUnreachableError, connectTemporal, connectWorker, createWorker } from '../src/index.js';

const workflowsPath = fileURLToPath(new URL('./fixtures/workflows.ts', import.meta.url));

describe('createWorker against the dev server', () => {
  it('runs a real workflow and its activity', async () => {
    const client = await createTestClient();
    const taskQueue = uniqueTaskQueue('core-greet');
    const connection = await connectWorker({ host: temporalAddress(), namespace: 'default' });
    const worker = await createWorker({
      connection,
      namespace: 'default',
      settings: { taskQueue, maxConcurrent: 10, shutdownGraceSeconds: 1 },
      workflows: { workflowsPath },
      activities: { greet: async (name: string) => `hello, ${name}` },
    });
    const result = await worker.runUntil(
      client.workflow.execute('greetWorkflow', { taskQueue, workflowId: `${taskQueue}-wf`, args: ['shop'] }),
    );
    expect(result).toBe('hello, shop');
    await connection.close();
  });

  it('never runs more activities at once than maxConcurrent', async () => {
    const client = await createTestClient();
    const taskQueue = uniqueTaskQueue('core-fanout');
    let running = 0;
    let peak = 0;
    const connection = await connectWorker({ host: temporalAddress(), namespace: 'default' });
    const worker = await createWorker({
      connection,
      namespace: 'default',
      settings: { taskQueue, maxConcurrent: 2, shutdownGraceSeconds: 1 },
      workflows: { workflowsPath },
      activities: {
        hold: async (ms: number) => {
          running++;
          peak = Math.max(peak, running);
          await sleep(ms);
          running--;
        },
      },
    });
    await worker.runUntil(client.workflow.execute('fanOutWorkflow', { taskQueue, workflowId: `${taskQueue}-wf`, args: [6, 300] }));
    expect(peak).toBe(2);
    await connection.close();
  });
});

describe('connecting', () => {
  it('gives up after the bounded retries with an error naming the address', async () => {
    const started = Date.now();
    const error = await connectTemporal({ host: '127.0.0.1:1', namespace: 'default', retry: { attempts: 2, initialDelayMs: 10, attemptTimeoutMs: 1_000 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TemporalUnreachableError);
    expect((error as TemporalUnreachableError).attempts).toBe(2);
    expect((error as Error).message).toContain('Cannot reach Temporal at 127.0.0.1:1 after 2 attempts');
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

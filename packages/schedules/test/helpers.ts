import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { ScheduleRun } from '../src/index.js';

type RunRef = Pick<ScheduleRun, 'workflowId' | 'runId'>;

/** Retries `check` until it stops throwing: schedule listing (visibility) is eventually consistent. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(200);
    }
  }
}

/** The type, task queue and decoded arguments a run was started with, read from its history. */
export async function startedRun(client: Client, run: RunRef): Promise<{ workflowType: string; taskQueue: string; args: unknown[] }> {
  const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (!started) throw new Error(`No start event for ${run.workflowId}`);
  const converter = client.options.loadedDataConverter.payloadConverter;
  return {
    workflowType: started.workflowType?.name ?? '',
    taskQueue: started.taskQueue?.name ?? '',
    args: (started.input?.payloads ?? []).map((payload) => converter.fromPayload(payload)),
  };
}

/** Ends runs that no worker will ever pick up. */
export async function terminateRuns(client: Client, runs: readonly RunRef[]): Promise<void> {
  await Promise.allSettled(runs.map((run) => client.workflow.getHandle(run.workflowId, run.runId).terminate('test cleanup')));
}

// Watching a harvest from outside: how far its store step got (the checkpoint the
// store writes with every batch) and which worker runs it.
import { waitFor } from '@contextworker/test-utils';
import type { WorkflowHandle } from '@temporalio/client';
import type { HarvestSetup } from './harvest-setup.js';

/** Products the supplier's latest run has committed so far, from its checkpoint. */
export async function storedSoFar(h: HarvestSetup, supplierId: string): Promise<number> {
  const [row] = await h.catalog.query<{ stored: number | null }>(
    `select (store_progress->>'recordsStored')::int as stored from harvest_runs
     where tenant_id = $1 and supplier_id = $2 order by started_at desc limit 1`,
    [h.tenantId, supplierId],
  );
  return row?.stored ?? 0;
}

/** Waits until the store step has committed at least `atLeast` but not all of `total` products. */
export async function waitForStoreUnderWay(h: HarvestSetup, supplierId: string, total: number, atLeast = 1): Promise<number> {
  return waitFor(
    async () => {
      const stored = await storedSoFar(h, supplierId);
      if (stored >= total) throw new Error(`the store step of ${supplierId} finished before the fault could be injected`);
      return stored >= atLeast ? stored : undefined;
    },
    `the store step of ${supplierId} to be under way`,
    180_000,
  );
}

/** The identity (`pid@host`) of the worker running the workflow's parseAndStoreProducts activity. */
export async function storeHolder(handle: WorkflowHandle): Promise<string> {
  return waitFor(
    async () => {
      const description = await handle.describe();
      const store = description.raw.pendingActivities?.find((a) => a.activityType?.name === 'parseAndStoreProducts');
      return store?.lastWorkerIdentity || undefined;
    },
    'the parseAndStoreProducts activity to be picked up',
    60_000,
  );
}

export interface ActivityCount {
  scheduled: number;
  maxAttempt: number;
  /** The task queues it was scheduled on, in order (a worker's host queue for the staged-file steps). */
  taskQueues: string[];
}

/** How many times each task-queue activity type was scheduled and started, from the workflow's history. */
export async function activityCounts(handle: WorkflowHandle): Promise<Record<string, ActivityCount>> {
  const history = await handle.fetchHistory();
  const counts: Record<string, ActivityCount> = {};
  const typeOf = new Map<string, string>();
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name) {
      const name = scheduled.activityType.name;
      typeOf.set(String(event.eventId), name);
      counts[name] ??= { scheduled: 0, maxAttempt: 0, taskQueues: [] };
      counts[name].scheduled++;
      counts[name].taskQueues.push(scheduled.taskQueue?.name ?? '');
    }
    const started = event.activityTaskStartedEventAttributes;
    if (started) {
      const name = typeOf.get(String(started.scheduledEventId));
      if (name && counts[name]) counts[name].maxAttempt = Math.max(counts[name].maxAttempt, started.attempt ?? 1);
    }
  }
  return counts;
}

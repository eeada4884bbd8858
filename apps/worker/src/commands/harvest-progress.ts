import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';

/** One snapshot of a running harvest: the workflow's phase and its activity's last heartbeat. */
export interface HarvestSnapshot {
  phase: string;
  records?: number;
  bytes?: number;
  valid?: number;
  invalid?: number;
}

/** Reads the phase (workflow query) and the record count (the pending activity's heartbeat). */
export async function readHarvestProgress(handle: WorkflowHandle): Promise<HarvestSnapshot | undefined> {
  try {
    const [progress, description] = await Promise.all([
      handle.query<{ phase: string }>('harvestProgress'),
      handle.describe(),
    ]);
    const snapshot: HarvestSnapshot = { phase: progress.phase };
    for (const activity of description.raw.pendingActivities ?? []) {
      const payload = activity.heartbeatDetails?.payloads?.[0];
      if (!payload) continue;
      const details = defaultPayloadConverter.fromPayload<Record<string, unknown>>(payload as Payload);
      if (typeof details?.records === 'number') snapshot.records = details.records;
      if (typeof details?.bytes === 'number') snapshot.bytes = details.bytes;
      if (typeof details?.valid === 'number') snapshot.valid = details.valid;
      if (typeof details?.invalid === 'number') snapshot.invalid = details.invalid;
    }
    return snapshot;
  } catch {
    // Not queryable yet (no worker has picked it up) or already closed.
    return undefined;
  }
}

const PHASES = ['starting', 'downloading', 'storing', 'marking-missing', 'finishing', 'done'];

/** A one-line progress bar: phase steps, records and rate. */
export function renderProgress(snapshot: HarvestSnapshot, elapsedMs: number): string {
  const step = Math.max(0, PHASES.indexOf(snapshot.phase));
  const width = PHASES.length - 1;
  const bar = '#'.repeat(step) + '-'.repeat(width - step);
  const parts = [`[${bar}] ${snapshot.phase.padEnd(15)}`];
  if (snapshot.bytes !== undefined && snapshot.phase === 'downloading') parts.push(`${(snapshot.bytes / 1024 / 1024).toFixed(1)} MiB`);
  if (snapshot.records !== undefined) {
    const rate = elapsedMs > 0 ? Math.round((snapshot.records * 1000) / elapsedMs) : 0;
    parts.push(`${snapshot.records.toLocaleString('en')} records`, `${rate.toLocaleString('en')}/s`);
  }
  if (snapshot.invalid) parts.push(`${snapshot.invalid} invalid`);
  return parts.join('  ');
}

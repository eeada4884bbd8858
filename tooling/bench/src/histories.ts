// What a workflow really sent through Temporal, read back from its history:
// the largest payload (activity inputs and results, workflow input and result,
// queries are not stored) and how long each activity took.
import type { Client } from '@temporalio/client';

type Json = Record<string, unknown>;

export interface HistoryFacts {
  /** Bytes of the largest payload (data plus metadata) in any event. */
  largestPayloadBytes: number;
  /** Where it was: the event's attribute name and, for activities, the activity type. */
  largestPayloadAt: string;
  /** Scheduled-to-closed seconds summed per activity type. */
  activitySeconds: Record<string, number>;
  /** Local activities run (their markers in the history). */
  localActivities: number;
  events: number;
}

function isPayload(value: unknown): value is { data: Uint8Array; metadata?: Record<string, Uint8Array> } {
  return typeof value === 'object' && value !== null && (value as Json).data instanceof Uint8Array && 'metadata' in (value as Json);
}

export function payloadBytes(payload: { data: Uint8Array; metadata?: Record<string, Uint8Array> | null }): number {
  let size = payload.data.length;
  for (const [key, value] of Object.entries(payload.metadata ?? {})) size += key.length + value.length;
  return size;
}

/** Every payload anywhere inside a (protobuf-decoded) value. */
export function* payloadsIn(value: unknown, depth = 0): Generator<{ data: Uint8Array; metadata?: Record<string, Uint8Array> }> {
  if (depth > 30 || typeof value !== 'object' || value === null || value instanceof Uint8Array) return;
  if (isPayload(value)) {
    yield value;
    return;
  }
  for (const child of Array.isArray(value) ? value : Object.values(value)) yield* payloadsIn(child, depth + 1);
}

function seconds(time: unknown): number {
  const t = time as { seconds?: number | { toNumber(): number }; nanos?: number } | undefined;
  if (!t) return NaN;
  const whole = typeof t.seconds === 'object' && t.seconds !== null ? t.seconds.toNumber() : Number(t.seconds ?? 0);
  return whole + (t.nanos ?? 0) / 1e9;
}

export function emptyFacts(): HistoryFacts {
  return { largestPayloadBytes: 0, largestPayloadAt: '', activitySeconds: {}, localActivities: 0, events: 0 };
}

export function mergeFacts(into: HistoryFacts, from: HistoryFacts): HistoryFacts {
  if (from.largestPayloadBytes > into.largestPayloadBytes) {
    into.largestPayloadBytes = from.largestPayloadBytes;
    into.largestPayloadAt = from.largestPayloadAt;
  }
  for (const [name, value] of Object.entries(from.activitySeconds)) into.activitySeconds[name] = (into.activitySeconds[name] ?? 0) + value;
  into.localActivities += from.localActivities;
  into.events += from.events;
  return into;
}

/** Facts of a workflow and every run it continued as. */
export async function historyFacts(client: Client, workflowId: string, firstRunId?: string): Promise<HistoryFacts> {
  const facts = emptyFacts();
  let runId: string | undefined = firstRunId;
  for (let runs = 0; runs < 1_000; runs++) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = (history.events ?? []) as Json[];
    const scheduled = new Map<string, { type: string; at: number }>();
    let next: string | undefined;
    facts.events += events.length;
    for (const event of events) {
      const id = String(event.eventId);
      for (const [key, attributes] of Object.entries(event)) {
        if (!key.endsWith('EventAttributes') || !attributes) continue;
        const a = attributes as Json;
        const activity =
          key === 'activityTaskScheduledEventAttributes'
            ? String((a.activityType as Json | undefined)?.name)
            : a.scheduledEventId !== undefined
              ? scheduled.get(String(a.scheduledEventId))?.type
              : undefined;
        for (const payload of payloadsIn(a)) {
          const size = payloadBytes(payload);
          if (size > facts.largestPayloadBytes) {
            facts.largestPayloadBytes = size;
            facts.largestPayloadAt = `${key.replace(/EventAttributes$/, '')}${activity ? ` (${activity})` : ''}`;
          }
        }
        if (key === 'activityTaskScheduledEventAttributes') scheduled.set(id, { type: activity!, at: seconds(event.eventTime) });
        if (key === 'activityTaskCompletedEventAttributes' || key === 'activityTaskFailedEventAttributes' || key === 'activityTaskTimedOutEventAttributes') {
          const from = scheduled.get(String(a.scheduledEventId));
          if (from) facts.activitySeconds[from.type] = (facts.activitySeconds[from.type] ?? 0) + seconds(event.eventTime) - from.at;
        }
        if (key === 'markerRecordedEventAttributes' && a.markerName === 'core_local_activity') facts.localActivities++;
        if (key === 'workflowExecutionContinuedAsNewEventAttributes') next = String(a.newExecutionRunId);
      }
    }
    if (!next) break;
    runId = next;
  }
  return facts;
}

// Sandbox-safe: runs inside workflows. A batch whose classify call fails (after its retries) is split
// in halves until the product that makes it fail is alone; only that one is recorded as failed.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { EnrichmentActivities, EnrichmentResult } from './enrichment-types.js';

export type ClassifyActivities = Pick<EnrichmentActivities, 'classifyProducts' | 'failProductsEnrichment'>;

/** The most specific message of a failed activity: the ApplicationFailure's, not the wrapper's. */
export function failureReason(error: unknown): string {
  let current: unknown = error;
  while (current instanceof ActivityFailure && current.cause) current = current.cause;
  if (current instanceof ApplicationFailure && current.type) return `${current.type}: ${current.message}`;
  return current instanceof Error ? current.message : String(current);
}

export async function classifyWithBisection(
  activities: ClassifyActivities,
  batch: { tenantId: string; claimant: string; ids: string[] },
): Promise<EnrichmentResult> {
  if (batch.ids.length === 0) return { processed: 0, failed: 0 };
  try {
    const result = await activities.classifyProducts(batch);
    return { processed: result.processed, failed: result.failed };
  } catch (error) {
    // A failed activity arrives as ActivityFailure; a failed local activity as its ApplicationFailure.
    if (!(error instanceof ActivityFailure || error instanceof ApplicationFailure)) throw error;
    if (batch.ids.length === 1) {
      const recorded = await activities.failProductsEnrichment({
        tenantId: batch.tenantId,
        claimant: batch.claimant,
        failures: [{ id: batch.ids[0] as string, reason: failureReason(error) }],
      });
      return { processed: 0, failed: recorded.failed };
    }
    const middle = Math.ceil(batch.ids.length / 2);
    const halves = await Promise.all([
      classifyWithBisection(activities, { ...batch, ids: batch.ids.slice(0, middle) }),
      classifyWithBisection(activities, { ...batch, ids: batch.ids.slice(middle) }),
    ]);
    return { processed: halves[0].processed + halves[1].processed, failed: halves[0].failed + halves[1].failed };
  }
}

/** Runs `next` in `slots` parallel loops until each returns false: a bounded number of batches in flight. */
export async function runSlots(slots: number, next: () => Promise<boolean>): Promise<void> {
  const loop = async (): Promise<void> => {
    while (await next()) {
      // keep going
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, slots) }, loop));
}

// Sandbox-safe: classify a claimed batch; when the classify call fails after its retries, split the
// batch until the product that makes it fail is alone, and record only that one as failed.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { ClaimedBatch, GardenerActivities } from './gardener-types.js';

type Activities = Pick<GardenerActivities, 'classifyProducts' | 'failProductsEnrichment'>;

function reasonOf(error: unknown): string {
  let current: unknown = error;
  while (current instanceof ActivityFailure && current.cause) current = current.cause;
  if (current instanceof ApplicationFailure && current.type) return `${current.type}: ${current.message}`;
  return current instanceof Error ? current.message : String(current);
}

export async function classifyClaimed(activities: Activities, batch: ClaimedBatch): Promise<{ processed: number; failed: number }> {
  if (batch.ids.length === 0) return { processed: 0, failed: 0 };
  try {
    const result = await activities.classifyProducts(batch);
    return { processed: result.processed, failed: result.failed };
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    if (batch.ids.length === 1) {
      const failures = [{ id: batch.ids[0] as string, reason: reasonOf(error) }];
      const recorded = await activities.failProductsEnrichment({ tenantId: batch.tenantId, claimant: batch.claimant, failures });
      return { processed: 0, failed: recorded.failed };
    }
    const middle = Math.ceil(batch.ids.length / 2);
    const [left, right] = await Promise.all([
      classifyClaimed(activities, { ...batch, ids: batch.ids.slice(0, middle) }),
      classifyClaimed(activities, { ...batch, ids: batch.ids.slice(middle) }),
    ]);
    return { processed: left.processed + right.processed, failed: left.failed + right.failed };
  }
}

import { feedRecordSchema } from '../formats/validate-record.js';
import type { FeedPosition, FeedRecord } from '../formats/feed-record.js';

/** What a transformer sees besides the record. */
export interface TransformContext {
  tenantId: string;
  supplierId: string;
  position: FeedPosition;
  /** The supplier's `options.transformerOptions`, as stored. */
  options: Record<string, unknown>;
}

/**
 * A transformer's verdict: the (changed) record, or a rejection with a reason
 * that is reported like any invalid row — a record is never dropped silently.
 */
export type TransformOutcome = FeedRecord | { reject: string };

/** Supplier-specific code that adjusts parsed records: fix categories, split names, drop test rows. */
export interface Transformer {
  /** What suppliers name in their `transformer` column. */
  id: string;
  description?: string;
  transform(record: FeedRecord, context: TransformContext): TransformOutcome | Promise<TransformOutcome>;
}

/** Declares a transformer with full types; returns it unchanged. */
export function defineTransformer(transformer: Transformer): Transformer {
  return transformer;
}

/** Runs a transformer and re-validates its output against the record schema. */
export async function applyTransformer(
  transformer: Transformer,
  record: FeedRecord,
  context: TransformContext,
): Promise<{ ok: true; record: FeedRecord } | { ok: false; reason: string }> {
  let outcome: TransformOutcome;
  try {
    outcome = await transformer.transform(record, context);
  } catch (error) {
    return { ok: false, reason: `transformer "${transformer.id}" failed: ${(error as Error).message}` };
  }
  if ('reject' in outcome) return { ok: false, reason: `rejected by transformer "${transformer.id}": ${outcome.reject}` };
  const checked = feedRecordSchema.safeParse(outcome);
  if (!checked.success) {
    const issues = checked.error.issues.map((issue) => `${issue.path.join('.') || 'record'} ${issue.message}`).join('; ');
    return { ok: false, reason: `transformer "${transformer.id}" produced an invalid record: ${issues}` };
  }
  return { ok: true, record: checked.data as FeedRecord };
}

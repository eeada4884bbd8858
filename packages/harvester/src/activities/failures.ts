import { ApplicationFailure } from '@temporalio/activity';

/**
 * Failure types HarvestWorkflow's activities raise as non-retryable: the input
 * or the feed is wrong, and a retry would fail the same way.
 */
export const HARVEST_FAILURE_TYPES = [
  'SupplierNotFound',
  'FeedBlockedAddress',
  'FeedTooLarge',
  'FeedHttpClientError',
  'FeedNotAFeed',
  'FeedUrlInvalid',
  'FeedParseError',
  'UnknownTransformer',
  'StagedFileMissing',
  'FeedChangedDuringRun',
] as const;
export type HarvestFailureType = (typeof HARVEST_FAILURE_TYPES)[number];

export function permanentFailure(type: HarvestFailureType, error: unknown): ApplicationFailure {
  const message = error instanceof Error ? error.message : String(error);
  return ApplicationFailure.create({ message, type, nonRetryable: true, ...(error instanceof Error ? { cause: error } : {}) });
}

/** Maps an error that says whether it is worth retrying (`retryable: false`) to a non-retryable failure. */
export function toActivityFailure(error: unknown, type: HarvestFailureType): unknown {
  if (error && typeof error === 'object' && 'retryable' in error && (error as { retryable: unknown }).retryable === false) {
    return permanentFailure(type, error);
  }
  return error;
}

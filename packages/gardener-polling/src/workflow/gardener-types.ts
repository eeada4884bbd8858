/**
 * The contract of GardenerWorkflow and of the enrichment activities it runs by name. Those
 * activities are registered by the `enrichment` module, which must run in the same deployment;
 * the shapes below mirror `@contextworker/enrichment`'s activity contract. Types only.
 */

/** Failure `type` of an input GardenerWorkflow cannot work with (non-retryable). */
export const INVALID_GARDENER_INPUT = 'InvalidGardenerInput';

export interface GardenerOptions {
  /** Products claimed per poll. Default 100. */
  pollSize?: number;
  /** Products per classify call (a poll is split in batches, classified together). Default 50. */
  batchSize?: number;
  /** Most products one scheduled sweep claims, over all its continuations. Default 10,000. */
  budget?: number;
  /** How long a claim holds before another gardener may take it. Default 900 s. */
  leaseSeconds?: number;
  /** Polls per run before continue-as-new. Default 50. */
  pollsPerRun?: number;
  /** Attempts of one classify call before the batch is bisected. Default 5. */
  classifyAttempts?: number;
}

export interface GardenerRequest extends GardenerOptions {
  tenantId: string;
  /** Totals so far, carried across continue-as-new. */
  carried?: GardenerResult;
}

/** Input of `GardenerWorkflow`: a tenant id or a request. */
export type GardenerInput = string | GardenerRequest;

export interface GardenerResult {
  /** Polls that claimed at least one product. */
  polls: number;
  claimed: number;
  /** Classified and stored (`done`). */
  processed: number;
  /** Recorded as `failed` with a reason. */
  failed: number;
  /** Products put back to pending because the taxonomy version changed (at the start of a sweep). */
  requeued: number;
}

export interface ClaimedBatch {
  tenantId: string;
  claimant: string;
  ids: string[];
}

/** The enrichment module's activities the gardener runs (by name). */
export interface GardenerActivities {
  claimProductsForEnrichment(input: { tenantId: string; claimant: string; limit: number; leaseSeconds: number }): Promise<{ tenantId: string; ids: string[] }>;
  classifyProducts(input: ClaimedBatch): Promise<{ processed: number; failed: number; skipped: number }>;
  failProductsEnrichment(input: { tenantId: string; claimant: string; failures: { id: string; reason: string }[] }): Promise<{ failed: number }>;
  requeueChangedTaxonomy(input: { tenantId: string }): Promise<{ tenantId: string; requeued: number; taxonomyVersion: string }>;
}

/**
 * The contract of EnrichmentWorkflow and of the activities it (and the gardener, by name) runs.
 * Types only: safe to import from workflow code.
 */

/** Failure `type` of an input EnrichmentWorkflow cannot work with (non-retryable). */
export const INVALID_ENRICHMENT_INPUT = 'InvalidEnrichmentInput';

/** Options of a run; every one has a default. */
export interface EnrichmentOptions {
  /** Products per classify call. Default 50. */
  batchSize?: number;
  /** Batches classified at the same time. Default 4. */
  maxBatchesInFlight?: number;
  /** Batches per run before continue-as-new (keeps the history small). Default 1,000 for a harvest run, 100 for product ids. */
  batchesPerRun?: number;
  /** How long a claim holds. Default 900 s (longer than a batch with its retries and bisection). */
  leaseSeconds?: number;
  /** Attempts of one classify call before the batch is bisected. Default 5. */
  classifyAttempts?: number;
  /** Timeout of one classify attempt. Default '2 minutes'. */
  classifyTimeout?: string;
}

export interface EnrichmentRequest extends EnrichmentOptions {
  /** Default: the worker's tenant. */
  tenantId?: string;
  /** Classify the products of this harvest run (claimed from the database batch by batch). */
  harvestRunId?: string;
  /** Classify these products. */
  productIds?: string[];
  /** Totals so far, carried across continue-as-new. */
  carried?: EnrichmentResult & { runs: number };
}

/** Input of `EnrichmentWorkflow`: product ids, or the products of one harvest run. */
export type EnrichmentInput = string[] | EnrichmentRequest;

export interface EnrichmentResult {
  /** Products classified and stored (`done`). */
  processed: number;
  /** Products recorded as `failed`, each with its reason. */
  failed: number;
}

/** Activity names the enrichment module registers (the gardener calls them by these names). */
export const ENRICHMENT_ACTIVITY_NAMES = ['claimProductsForEnrichment', 'classifyProducts', 'enrichRunBatches', 'failProductsEnrichment', 'requeueChangedTaxonomy'] as const;

export interface ClaimProductsInput {
  tenantId?: string;
  claimant: string;
  limit: number;
  leaseSeconds: number;
  productIds?: string[];
  harvestRunId?: string;
}

export interface ClassifyProductsInput {
  tenantId: string;
  claimant: string;
  ids: string[];
}

export interface ClassifyProductsResult extends EnrichmentResult {
  /** Ids no longer claimed by this claimant (another one took them over): not written. */
  skipped: number;
}

export interface EnrichRunBatchesInput {
  tenantId?: string;
  claimant: string;
  harvestRunId: string;
  batchSize: number;
  leaseSeconds: number;
  /** Claim at most this many batches. */
  maxBatches: number;
}

export interface EnrichRunBatchesResult extends EnrichmentResult {
  tenantId: string;
  /** Batches claimed (none of them empty), those handed back included. */
  batches: number;
  /** A claim found nothing: the run has no pending product left that another claimant does not hold. */
  exhausted: boolean;
  /**
   * Batches still claimed and not classified: the one whose classifier call failed and the one claimed
   * after it. The workflow classifies them with `classifyProducts` (retries, then bisection).
   */
  handedBack: string[][];
}

export interface FailProductsInput {
  tenantId: string;
  claimant: string;
  failures: { id: string; reason: string }[];
}

export interface EnrichmentActivities {
  /** Claims up to `limit` pending products (or expired claims); returns their ids. */
  claimProductsForEnrichment(input: ClaimProductsInput): Promise<{ tenantId: string; ids: string[] }>;
  /** Loads, classifies, validates and records a claimed batch. Throws when the classifier call fails. */
  classifyProducts(input: ClassifyProductsInput): Promise<ClassifyProductsResult>;
  /**
   * Claims, classifies and records up to `maxBatches` batches of a harvest run as a pipeline (the next
   * batch is claimed and the previous one recorded while the classifier answers). Hands back, still
   * claimed, a batch whose classifier call failed.
   */
  enrichRunBatches(input: EnrichRunBatchesInput): Promise<EnrichRunBatchesResult>;
  /** Records products as failed with their reasons (the end of a bisection). */
  failProductsEnrichment(input: FailProductsInput): Promise<{ failed: number }>;
  /** Re-queues products enriched for another content hash or taxonomy version. */
  requeueChangedTaxonomy(input: { tenantId?: string }): Promise<{ tenantId: string; requeued: number; taxonomyVersion: string }>;
}

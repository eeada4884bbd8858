/**
 * Enrichment's sandbox-safe workflows entry: what workers bundle.
 * EnrichmentWorkflow lands with the classification pipeline; until then this
 * entry carries the contract other packages start it by.
 *
 * @module
 */

/** Input of `EnrichmentWorkflow`: product ids, or the products of one harvest run. */
export type EnrichmentInput = string[] | { tenantId: string; harvestRunId: string };

export interface EnrichmentResult {
  processed: number;
  failed: number;
}

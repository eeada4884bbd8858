/**
 * Gardener polling's sandbox-safe workflows entry: what workers bundle.
 * GardenerWorkflow lands with the polling sweep; until then this entry carries
 * its contract.
 *
 * @module
 */

/** Input of `GardenerWorkflow`: the tenant whose pending products are swept. */
export type GardenerInput = string | { tenantId: string; budget?: number };

export interface GardenerResult {
  polls: number;
  claimed: number;
  processed: number;
  failed: number;
}

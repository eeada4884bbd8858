/**
 * The harvester's sandbox-safe workflows entry: what workers bundle. It holds
 * no Node built-ins and imports only types of activities.
 *
 * HarvestWorkflow itself lands with the harvest pipeline; until then this
 * entry carries the input and result contract other packages start it by.
 *
 * @module
 */

/** Input of `HarvestWorkflow`: a supplier id, or the full form. */
export type HarvestInput = string | { tenantId: string; supplierId: string; force?: boolean };

/** What a harvest run reports. */
export interface HarvestResult {
  status: 'completed' | 'unchanged' | 'failed';
  harvestRunId?: string;
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
  markedMissing: number;
}

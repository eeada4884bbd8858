/**
 * Product enrichment for ContextWorker: the enrichment worker module and its
 * workflow contract.
 *
 * @example
 * ```ts
 * import type { EnrichmentInput } from '@contextworker/enrichment';
 *
 * const input: EnrichmentInput = { tenantId: 'default', harvestRunId: run.id };
 * await client.workflow.start('EnrichmentWorkflow', { taskQueue: 'default', workflowId: `enrich-${run.id}`, args: [input] });
 * ```
 *
 * @module
 */
export { enrichmentModule } from './module.js';
export type { EnrichmentInput, EnrichmentResult } from './workflows.js';

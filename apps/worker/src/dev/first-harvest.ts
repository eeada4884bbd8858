import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { EnrichmentResult } from '@contextworker/enrichment';
import type { HarvestResult } from '@contextworker/harvester';
import { HarvestFailedError } from '../commands/harvest.js';

/** What one demo harvest did, as `contextworker dev` prints it. */
export interface HarvestSummary {
  workflowId: string;
  result: HarvestResult;
  enrichment?: EnrichmentResult & { workflowId: string };
}

/**
 * Harvests one supplier through `HarvestWorkflow` on the worker's queue and waits for the enrichment
 * it started, so the summary shows the whole path: stored, then classified.
 *
 * @throws {HarvestFailedError} naming the innermost cause when the harvest fails.
 */
export async function harvestOnce(client: Client, options: { tenantId: string; supplierId: string; taskQueue: string }): Promise<HarvestSummary> {
  const workflowId = `harvest-${options.tenantId}-${options.supplierId}-dev-${Date.now()}`;
  const result = await client.workflow
    .execute<(input: unknown) => Promise<HarvestResult>>('HarvestWorkflow', {
      taskQueue: options.taskQueue,
      workflowId,
      args: [{ tenantId: options.tenantId, supplierId: options.supplierId }],
    })
    .catch((error: unknown) => {
      throw error instanceof WorkflowFailedError ? new HarvestFailedError(workflowId, error) : error;
    });
  if (!result.enrichmentWorkflowId) return { workflowId, result };
  const enrichment = (await client.workflow.getHandle(result.enrichmentWorkflowId).result()) as EnrichmentResult;
  return { workflowId, result, enrichment: { ...enrichment, workflowId: result.enrichmentWorkflowId } };
}

/** Two lines per supplier: what the harvest stored, then what enrichment classified. */
export function formatHarvestSummary({ result, enrichment }: HarvestSummary): string {
  const indent = ' '.repeat(18);
  if (result.status === 'unchanged') return `  ${result.supplierId.padEnd(16)}unchanged  the feed is the same as at the last harvest; nothing to store or classify`;
  const stored =
    `  ${result.supplierId.padEnd(16)}${result.status.padEnd(11)}created ${result.created}, updated ${result.updated}, ` +
    `unchanged ${result.unchanged}, errors ${result.errors + result.invalid + result.duplicates}, marked missing ${result.markedMissing}`;
  const enriched = enrichment
    ? `${indent}enrichment: ${enrichment.processed} classified, ${enrichment.failed} failed`
    : `${indent}enrichment: nothing new to classify`;
  return `${stored}\n${enriched}`;
}

import type { Catalog } from '@contextworker/catalog';
import { checkOutcome } from '../classifiers/validate-outcomes.js';
import type { ClassificationOutcome, ProductForClassification } from '../classifiers/classifier.js';
import { recordEnrichmentResults, type EnrichmentRecord } from '../store/record-enrichment.js';
import { taxonomyCategory } from '../taxonomy.js';
import type { ClassifyProductsResult } from '../workflow/enrichment-types.js';

/** Longest failure reason stored. */
export const MAX_REASON = 1_000;

function toRecord(outcome: ClassificationOutcome, classifier: string, taxonomyVersion: string): EnrichmentRecord {
  if (outcome.status === 'failed') {
    return { id: outcome.id, status: 'failed', result: { reason: outcome.reason.slice(0, MAX_REASON), classifier, taxonomyVersion } };
  }
  return {
    id: outcome.id,
    status: 'done',
    result: {
      categoryId: outcome.categoryId,
      categoryPath: taxonomyCategory(outcome.categoryId)?.path,
      confidence: outcome.confidence,
      ...(outcome.attributes ? { attributes: outcome.attributes } : {}),
      classifier,
      taxonomyVersion,
    },
  };
}

/**
 * Validates a classifier's answer for a claimed batch and records it (only rows `claimant` still holds):
 * `done` with the category, `failed` with the reason; a product without an outcome fails.
 */
export async function recordOutcomes(
  catalog: Catalog,
  batch: { tenantId: string; claimant: string; classifier: string; taxonomyVersion: string },
  products: readonly ProductForClassification[],
  outcomes: readonly ClassificationOutcome[],
): Promise<ClassifyProductsResult> {
  const byId = new Map(outcomes.map((outcome) => [outcome.id, outcome]));
  const records = products.map((product) => {
    const outcome = byId.get(product.id);
    const checked: ClassificationOutcome = outcome ? checkOutcome(outcome) : { id: product.id, status: 'failed', reason: 'the classifier returned no outcome for this product' };
    return toRecord(checked, batch.classifier, batch.taxonomyVersion);
  });
  const written = new Set(await recordEnrichmentResults(catalog, { tenantId: batch.tenantId, claimant: batch.claimant, results: records, taxonomyVersion: batch.taxonomyVersion }));
  const processed = records.filter((record) => record.status === 'done' && written.has(record.id)).length;
  const failed = records.filter((record) => record.status === 'failed' && written.has(record.id)).length;
  return { processed, failed, skipped: products.length - written.size };
}

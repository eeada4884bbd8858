import type { Catalog } from '@contextworker/catalog';
import { checkOutcome } from '../classifiers/validate-outcomes.js';
import type { Classifier, ClassificationOutcome } from '../classifiers/classifier.js';
import { claimPendingProducts, requeueForTaxonomy } from '../store/claim-pending-products.js';
import { loadProductsForClassification, recordEnrichmentResults, type EnrichmentRecord } from '../store/record-enrichment.js';
import { TAXONOMY_VERSION, taxonomyCategory } from '../taxonomy.js';
import type { EnrichmentActivities } from '../workflow/enrichment-types.js';

export interface EnrichmentActivityDeps {
  open: () => Promise<Catalog>;
  classifier: () => Classifier;
  defaultTenantId: string;
  taxonomyVersion?: string;
}

const MAX_REASON = 1_000;

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

/** The activities of EnrichmentWorkflow (and of the gardener, which runs them by name). */
export function createEnrichmentActivities(deps: EnrichmentActivityDeps): EnrichmentActivities {
  const taxonomyVersion = deps.taxonomyVersion ?? TAXONOMY_VERSION;
  return {
    async claimProductsForEnrichment(input) {
      const tenantId = input.tenantId ?? deps.defaultTenantId;
      const ids = await claimPendingProducts(await deps.open(), { ...input, tenantId });
      return { tenantId, ids };
    },

    async classifyProducts(input) {
      const catalog = await deps.open();
      const classifier = deps.classifier();
      const products = await loadProductsForClassification(catalog, input.tenantId, input.ids, { claimant: input.claimant });
      if (products.length === 0) return { processed: 0, failed: 0, skipped: input.ids.length };
      const outcomes = await classifier.classify(products);
      const byId = new Map(outcomes.map((outcome) => [outcome.id, outcome]));
      const records = products.map((product) => {
        const outcome = byId.get(product.id);
        const checked: ClassificationOutcome = outcome ? checkOutcome(outcome) : { id: product.id, status: 'failed', reason: 'the classifier returned no outcome for this product' };
        return toRecord(checked, classifier.name, taxonomyVersion);
      });
      const written = new Set(await recordEnrichmentResults(catalog, { tenantId: input.tenantId, claimant: input.claimant, results: records, taxonomyVersion }));
      const processed = records.filter((record) => record.status === 'done' && written.has(record.id)).length;
      const failed = records.filter((record) => record.status === 'failed' && written.has(record.id)).length;
      return { processed, failed, skipped: input.ids.length - written.size };
    },

    async failProductsEnrichment(input) {
      const records: EnrichmentRecord[] = input.failures.map((failure) => ({
        id: failure.id,
        status: 'failed',
        result: { reason: failure.reason.slice(0, MAX_REASON), taxonomyVersion },
      }));
      const written = await recordEnrichmentResults(await deps.open(), { tenantId: input.tenantId, claimant: input.claimant, results: records, taxonomyVersion });
      return { failed: written.length };
    },

    async requeueChangedTaxonomy(input) {
      const tenantId = input.tenantId ?? deps.defaultTenantId;
      const requeued = await requeueForTaxonomy(await deps.open(), tenantId, taxonomyVersion);
      return { tenantId, requeued, taxonomyVersion };
    },
  };
}

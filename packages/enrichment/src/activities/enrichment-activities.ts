import type { Catalog } from '@contextworker/catalog';
import type { Classifier } from '../classifiers/classifier.js';
import { claimPendingProducts, requeueForTaxonomy } from '../store/claim-pending-products.js';
import { loadProductsForClassification, recordEnrichmentResults, type EnrichmentRecord } from '../store/record-enrichment.js';
import { TAXONOMY_VERSION } from '../taxonomy.js';
import type { EnrichmentActivities } from '../workflow/enrichment-types.js';
import { MAX_REASON, recordOutcomes } from './record-outcomes.js';
import { enrichRunBatches } from './enrich-run-batches.js';

export interface EnrichmentActivityDeps {
  open: () => Promise<Catalog>;
  classifier: () => Classifier;
  defaultTenantId: string;
  taxonomyVersion?: string;
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
      const result = await recordOutcomes(catalog, { tenantId: input.tenantId, claimant: input.claimant, classifier: classifier.name, taxonomyVersion }, products, outcomes);
      // Ids not loaded (no longer this claimant's) are skipped too.
      return { ...result, skipped: result.skipped + input.ids.length - products.length };
    },

    enrichRunBatches: (input) => enrichRunBatches({ catalog: deps.open, classifier: deps.classifier, defaultTenantId: deps.defaultTenantId, taxonomyVersion }, input),

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

/**
 * Product enrichment for ContextWorker: EnrichmentWorkflow's worker module and activities, the
 * classifier port with its adapters (built-in keyword classifier, router service, OpenAI-compatible
 * chat endpoint) and the fixed taxonomy they classify into.
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
export { createEnrichmentModule, enrichmentModule, type EnrichmentModuleOptions } from './module.js';
export { createEnrichmentActivities, type EnrichmentActivityDeps } from './activities/enrichment-activities.js';
export { CATALOG_RESOURCE, catalogResource } from './activities/catalog-access.js';
export {
  CLASSIFIER_FAILURE_TYPES,
  type Classifier,
  type ClassifierFailureType,
  type ClassificationOutcome,
  type ClassifiedProduct,
  type UnclassifiedProduct,
  type ProductForClassification,
} from './classifiers/classifier.js';
export { createKeywordClassifier, type KeywordClassifierOptions } from './classifiers/keyword-classifier.js';
export { createRouterClassifier, type RouterClassifierOptions } from './classifiers/router-classifier.js';
export { createOpenAiClassifier, type OpenAiClassifierOptions } from './classifiers/openai-classifier.js';
export { ClassifierConfigError, createClassifier, readClassifierConfig, type ClassifierConfig, type ClassifierEnv } from './classifiers/classifier-config.js';
export { validateAnswer, outcomesFor } from './classifiers/validate-outcomes.js';
export { claimPendingProducts, claimProductsForClassification, requeueForTaxonomy, type ClaimPendingProductsInput } from './store/claim-pending-products.js';
export { loadProductsForClassification, recordEnrichmentResults, type EnrichmentRecord, type RecordEnrichmentInput } from './store/record-enrichment.js';
export { TAXONOMY, TAXONOMY_VERSION, taxonomyCategory, type TaxonomyCategory } from './taxonomy.js';
export type * from './workflow/enrichment-types.js';
export { ENRICHMENT_ACTIVITY_NAMES, INVALID_ENRICHMENT_INPUT } from './workflow/enrichment-types.js';

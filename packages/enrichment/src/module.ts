import { defineModule, siblingModulePath, type WorkerModule } from '@contextworker/registry';
import { catalogResource } from './activities/catalog-access.js';
import { createEnrichmentActivities } from './activities/enrichment-activities.js';
import { createClassifier, readClassifierConfig, type ClassifierEnv } from './classifiers/classifier-config.js';
import type { Classifier } from './classifiers/classifier.js';

export interface EnrichmentModuleOptions {
  /** Use this classifier instead of the one the environment selects. */
  classifier?: Classifier;
  /** Where ROUTER_URL, OPENAI_* and CLASSIFIER_TIMEOUT_MS are read. Default: process.env. */
  env?: ClassifierEnv;
}

/**
 * Enrichment as a worker module: EnrichmentWorkflow and the claim / classify / record activities,
 * which the gardener-polling module also runs by name. The classifier is chosen from the environment:
 * ROUTER_URL (the worker configuration's, or the variable) → the router; OPENAI_BASE_URL → a chat
 * endpoint; else the built-in keyword classifier.
 */
export function createEnrichmentModule(options: EnrichmentModuleOptions = {}): WorkerModule {
  return defineModule({
    name: 'enrichment',
    description: 'Classification of products in batches against a fixed taxonomy',
    workflowsPath: siblingModulePath(import.meta.url, 'workflows'),
    activities: (context) => {
      const env = options.env ?? process.env;
      // Read when the worker starts: a bad variable stops it with every problem listed (ClassifierConfigError).
      const classifier =
        options.classifier ?? createClassifier(readClassifierConfig({ ...env, ...(context.config.routerUrl ? { ROUTER_URL: context.config.routerUrl } : {}) }));
      return {
        ...createEnrichmentActivities({ open: () => catalogResource(context), classifier: () => classifier, defaultTenantId: context.config.tenantId }),
      };
    },
  });
}

export const enrichmentModule = createEnrichmentModule();

export default enrichmentModule;

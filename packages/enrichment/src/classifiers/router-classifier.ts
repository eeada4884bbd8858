import { ApplicationFailure } from '@temporalio/activity';
import { TAXONOMY_VERSION } from '../taxonomy.js';
import { CLASSIFIER_FAILURE_TYPES, type Classifier } from './classifier.js';
import { postJson } from './http-failure.js';
import { outcomesFor } from './validate-outcomes.js';

export interface RouterClassifierOptions {
  /** The router's classification endpoint (`ROUTER_URL`); the batch is POSTed to it as is. */
  url: string;
  /** Per request. Default 30 s. */
  timeoutMs?: number;
  taxonomyVersion?: string;
}

/**
 * The router service adapter. Contract (see README): POST
 * `{ taxonomyVersion, products: [{ id, name, description, vendor, category, attributes }] }`, answer 200
 * `{ results: [{ id, categoryId, confidence, attributes? } | { id, error }] }`. Every answer is validated
 * against the taxonomy; 429 is retried after Retry-After, other 4xx are not retried.
 */
export function createRouterClassifier(options: RouterClassifierOptions): Classifier {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const taxonomyVersion = options.taxonomyVersion ?? TAXONOMY_VERSION;
  return {
    name: 'router',
    async classify(products) {
      const body = {
        taxonomyVersion,
        products: products.map(({ id, name, description, vendor, category, attributes }) => ({ id, name, description, vendor, category, attributes })),
      };
      const answer = await postJson('the router', options.url, body, { timeoutMs });
      const results = (answer as { results?: unknown } | null)?.results;
      if (!Array.isArray(results)) {
        throw ApplicationFailure.retryable('the router answered without a "results" array', CLASSIFIER_FAILURE_TYPES.badResponse);
      }
      return outcomesFor(products, results);
    },
  };
}

/** The classifier port: what enrichment hands a batch of products to, whatever answers it. */

/** The fields of a product a classifier reads (the columns whose change re-queues enrichment). */
export interface ProductForClassification {
  id: string;
  name: string;
  description: string | null;
  vendor: string | null;
  /** The supplier's own category text. */
  category: string | null;
  barcode: string | null;
  attributes: Record<string, string>;
}

export interface ClassifiedProduct {
  id: string;
  status: 'done';
  /** A category id of the taxonomy (validated before anything is stored). */
  categoryId: string;
  /** 0..1. */
  confidence: number;
  attributes?: Record<string, unknown>;
}

export interface UnclassifiedProduct {
  id: string;
  status: 'failed';
  /** Why this product could not be classified; stored as `enrichment_result.reason`. */
  reason: string;
}

export type ClassificationOutcome = ClassifiedProduct | UnclassifiedProduct;

/**
 * Classifies a batch. Per-product problems come back as `failed` outcomes; a throw means the whole
 * call failed (an ApplicationFailure says whether a retry can help), and the workflow then bisects
 * the batch so one bad product cannot fail the other 49.
 */
export interface Classifier {
  /** Recorded with each result, e.g. "keyword", "router", "openai:gpt-4o-mini". */
  readonly name: string;
  classify(products: readonly ProductForClassification[]): Promise<ClassificationOutcome[]>;
}

/**
 * `type` of the ApplicationFailures classifier adapters throw. Rate-limited, timed-out, unavailable
 * and bad responses are retried (rate-limited after the server's Retry-After); a rejected request
 * (a 4xx other than 408/429) is not.
 */
export const CLASSIFIER_FAILURE_TYPES = {
  rateLimited: 'ClassifierRateLimited',
  timeout: 'ClassifierTimeout',
  unavailable: 'ClassifierUnavailable',
  rejected: 'ClassifierRequestRejected',
  badResponse: 'ClassifierBadResponse',
} as const;
export type ClassifierFailureType = (typeof CLASSIFIER_FAILURE_TYPES)[keyof typeof CLASSIFIER_FAILURE_TYPES];

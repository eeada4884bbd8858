import { taxonomyCategory } from '../taxonomy.js';
import type { ClassificationOutcome, ProductForClassification } from './classifier.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Turns whatever a remote classifier answered for one product into an outcome: a category outside the
 * taxonomy, a confidence that is not a number in 0..1 or a malformed entry becomes a failure with its
 * reason, so nothing unvalidated is ever stored.
 */
export function validateAnswer(id: string, answer: unknown): ClassificationOutcome {
  if (!isRecord(answer)) return { id, status: 'failed', reason: 'malformed answer: not an object' };
  if (typeof answer.error === 'string' && answer.error.trim() !== '') return { id, status: 'failed', reason: `classifier error: ${answer.error.trim().slice(0, 500)}` };
  const rawCategory = answer.categoryId;
  const categoryId = typeof rawCategory === 'number' ? String(rawCategory) : rawCategory;
  if (typeof categoryId !== 'string' || categoryId.trim() === '') return { id, status: 'failed', reason: 'malformed answer: no categoryId' };
  if (!taxonomyCategory(categoryId.trim())) return { id, status: 'failed', reason: `category ${JSON.stringify(categoryId).slice(0, 80)} is not in the taxonomy` };
  const confidence = answer.confidence === undefined ? 0.5 : answer.confidence;
  if (typeof confidence !== 'number' || !Number.isFinite(confidence) || confidence < 0 || confidence > 1) {
    return { id, status: 'failed', reason: 'malformed answer: confidence must be a number from 0 to 1' };
  }
  if (answer.attributes !== undefined && !isRecord(answer.attributes)) return { id, status: 'failed', reason: 'malformed answer: attributes must be an object' };
  return { id, status: 'done', categoryId: categoryId.trim(), confidence, ...(answer.attributes ? { attributes: answer.attributes } : {}) };
}

/**
 * Matches a remote answer list to the products asked about: one outcome per product, in order;
 * answers for unknown ids are ignored and a product without an answer fails.
 */
export function outcomesFor(products: readonly ProductForClassification[], answers: readonly unknown[]): ClassificationOutcome[] {
  const byId = new Map<string, unknown>();
  for (const answer of answers) {
    if (!isRecord(answer)) continue;
    const id = typeof answer.id === 'number' ? String(answer.id) : answer.id;
    if (typeof id === 'string' && !byId.has(id)) byId.set(id, answer);
  }
  return products.map((product) =>
    byId.has(product.id) ? validateAnswer(product.id, byId.get(product.id)) : { id: product.id, status: 'failed', reason: 'the classifier returned no answer for this product' },
  );
}

/** Checks an outcome of any classifier (the built-in one included) before it is stored. */
export function checkOutcome(outcome: ClassificationOutcome): ClassificationOutcome {
  if (outcome.status === 'failed') return outcome;
  return validateAnswer(outcome.id, outcome);
}

import { TAXONOMY, categoryDepth, type TaxonomyCategory } from '../taxonomy.js';
import type { Classifier, ClassificationOutcome, ProductForClassification } from './classifier.js';

// Where a keyword is found says how much it counts: a product's name is the best evidence.
const FIELD_WEIGHTS = { name: 3, category: 2, description: 1 } as const;

/** Lowercase words joined by single spaces and padded, so " word" finds a word start. */
export function normalizeText(text: string | null | undefined): string {
  if (!text) return ' ';
  const words = text.toLowerCase().replace(/ё/g, 'е').match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu) ?? [];
  return ` ${words.join(' ')} `;
}

const escape = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Each word of a keyword is a word prefix ("спальн мешок" finds "спальный мешок"); a word of three
 * letters or fewer must be whole ("ski" is not "skin").
 */
export function keywordPattern(keyword: string): RegExp {
  const words = normalizeText(keyword).trim().split(' ');
  // The text is normalized to words between single spaces, so the rest of a word is `\S*`.
  const parts = words.map((word) => escape(word) + (word.length <= 3 ? '(?= )' : '\\S*'));
  return new RegExp(` ${parts.join(' ')}`);
}

interface Compiled {
  category: TaxonomyCategory;
  depth: number;
  keywords: { pattern: RegExp; specificity: number }[];
}

export interface KeywordClassifierOptions {
  /** Categories to classify into; default: the shipped taxonomy. */
  taxonomy?: readonly TaxonomyCategory[];
  /** Below this score a product is reported as not classified. Default 2 (one description hit is not enough). */
  minScore?: number;
}

/**
 * The built-in deterministic classifier: scores every category by its keywords found in the product's
 * name, supplier category and description (English and Russian), longer phrases counting more; the best
 * score wins and a tie goes to the deeper, more specific category. Needs no service.
 */
export function createKeywordClassifier(options: KeywordClassifierOptions = {}): Classifier {
  const compiled: Compiled[] = (options.taxonomy ?? TAXONOMY).map((category) => ({
    category,
    depth: categoryDepth(category),
    keywords: category.keywords.map((keyword) => ({ pattern: keywordPattern(keyword), specificity: keyword.trim().split(/\s+/).length })),
  }));
  const minScore = options.minScore ?? 2;
  return {
    name: 'keyword',
    classify: async (products) => products.map((product) => classifyOne(product, compiled, minScore)),
  };
}

function classifyOne(product: ProductForClassification, compiled: readonly Compiled[], minScore: number): ClassificationOutcome {
  const fields = {
    name: normalizeText(product.name),
    category: normalizeText(product.category),
    description: normalizeText(product.description),
  };
  let best: { entry: Compiled; score: number } | undefined;
  for (const entry of compiled) {
    let score = 0;
    for (const { pattern, specificity } of entry.keywords) {
      for (const field of ['name', 'category', 'description'] as const) {
        if (pattern.test(fields[field])) score += FIELD_WEIGHTS[field] * specificity;
      }
    }
    if (score === 0) continue;
    if (!best || score > best.score || (score === best.score && entry.depth > best.entry.depth)) best = { entry, score };
  }
  if (!best || best.score < minScore) {
    return { id: product.id, status: 'failed', reason: 'no category of the taxonomy matches the product text' };
  }
  return {
    id: product.id,
    status: 'done',
    categoryId: best.entry.category.id,
    confidence: Math.round((best.score / (best.score + 4)) * 100) / 100,
  };
}

import { TAXONOMY } from '../taxonomy.js';
import type { Classifier, ClassificationOutcome, ProductForClassification } from './classifier.js';
import { postJson } from './http-failure.js';
import { outcomesFor } from './validate-outcomes.js';

export interface OpenAiClassifierOptions {
  /** e.g. `https://api.openai.com/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Per request. Default 60 s. */
  timeoutMs?: number;
}

const TAXONOMY_LINES = TAXONOMY.map((category) => `${category.id}: ${category.path}`).join('\n');

const SYSTEM_PROMPT = `You classify shop products into a fixed taxonomy. Answer with one JSON object:
{"results":[{"id":"<product id>","categoryId":"<taxonomy id>","confidence":<0..1>}]}
with exactly one entry per product. Use only ids from this list; if none fits, answer
{"id":"<product id>","error":"<why>"} for that product.
${TAXONOMY_LINES}`;

function userMessage(products: readonly ProductForClassification[]): string {
  return JSON.stringify({
    products: products.map(({ id, name, description, vendor, category, attributes }) => ({
      id,
      name,
      ...(description ? { description: description.slice(0, 1000) } : {}),
      ...(vendor ? { vendor } : {}),
      ...(category ? { category } : {}),
      ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    })),
  });
}

const failAll = (products: readonly ProductForClassification[], reason: string): ClassificationOutcome[] =>
  products.map((product) => ({ id: product.id, status: 'failed', reason }));

/**
 * An OpenAI-compatible chat-completions endpoint as a classifier. The model's answer is untrusted:
 * malformed output fails every product of the batch, a category outside the taxonomy fails that
 * product, and neither is ever stored as a category.
 */
export function createOpenAiClassifier(options: OpenAiClassifierOptions): Classifier {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const timeoutMs = options.timeoutMs ?? 60_000;
  return {
    name: `openai:${options.model}`,
    async classify(products) {
      const answer = await postJson(
        'the chat-completions endpoint',
        url,
        {
          model: options.model,
          temperature: 0,
          response_format: { type: 'json_object' },
          messages: [
            { role: 'system', content: SYSTEM_PROMPT },
            { role: 'user', content: userMessage(products) },
          ],
        },
        { timeoutMs, ...(options.apiKey ? { headers: { authorization: `Bearer ${options.apiKey}` } } : {}) },
      );
      const content = (answer as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]?.message?.content;
      if (typeof content !== 'string') return failAll(products, 'malformed model output: no message content');
      let parsed: unknown;
      try {
        // Some models wrap JSON in a code fence despite response_format.
        parsed = JSON.parse(content.replace(/^\s*```(?:json)?\s*|\s*```\s*$/g, ''));
      } catch {
        return failAll(products, 'malformed model output: not JSON');
      }
      const results = (parsed as { results?: unknown } | null)?.results;
      if (!Array.isArray(results)) return failAll(products, 'malformed model output: no "results" array');
      return outcomesFor(products, results);
    },
  };
}

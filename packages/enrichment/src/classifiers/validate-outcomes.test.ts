import { describe, expect, it } from 'vitest';
import { ClassifierConfigError, readClassifierConfig } from './classifier-config.js';
import { retryAfterMs } from './http-failure.js';
import { outcomesFor, validateAnswer } from './validate-outcomes.js';

const product = (id: string) => ({ id, name: 'x', description: null, vendor: null, category: null, barcode: null, attributes: {} });

describe('validating remote answers', () => {
  it('accepts a category of the taxonomy and refuses anything else', () => {
    expect(validateAnswer('1', { categoryId: '1022', confidence: 0.9 })).toEqual({ id: '1', status: 'done', categoryId: '1022', confidence: 0.9 });
    expect(validateAnswer('1', { categoryId: 1022 })).toMatchObject({ status: 'done', categoryId: '1022' });
    expect(validateAnswer('1', { categoryId: '999999999', confidence: 0.9 })).toMatchObject({ status: 'failed', reason: expect.stringContaining('not in the taxonomy') });
    expect(validateAnswer('1', { categoryId: 'Tents' })).toMatchObject({ status: 'failed' });
    expect(validateAnswer('1', { categoryId: '1022', confidence: 7 })).toMatchObject({ status: 'failed', reason: expect.stringContaining('confidence') });
    expect(validateAnswer('1', { categoryId: '1022', attributes: 'red' })).toMatchObject({ status: 'failed' });
    expect(validateAnswer('1', 'tent')).toMatchObject({ status: 'failed', reason: expect.stringContaining('malformed') });
    expect(validateAnswer('1', { error: 'no idea' })).toMatchObject({ status: 'failed', reason: 'classifier error: no idea' });
  });

  it('gives one outcome per product in order, failing products without an answer', () => {
    const outcomes = outcomesFor([product('1'), product('2'), product('3')], [{ id: '3', categoryId: '1022' }, { id: 1, categoryId: '1020' }, { id: '99', categoryId: '1022' }, null]);
    expect(outcomes.map((outcome) => [outcome.id, outcome.status])).toEqual([['1', 'done'], ['2', 'failed'], ['3', 'done']]);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});

describe('classifier configuration', () => {
  it('selects router, then the chat endpoint, then the built-in classifier', () => {
    expect(readClassifierConfig({})).toEqual({ kind: 'keyword' });
    expect(readClassifierConfig({ ROUTER_URL: 'http://router:8080/classify', OPENAI_BASE_URL: 'https://api.example.com/v1' })).toEqual({ kind: 'router', url: 'http://router:8080/classify' });
    expect(readClassifierConfig({ OPENAI_BASE_URL: 'https://api.example.com/v1', OPENAI_MODEL: 'm', OPENAI_API_KEY: 'k', CLASSIFIER_TIMEOUT_MS: '5000' })).toEqual({
      kind: 'openai',
      baseUrl: 'https://api.example.com/v1',
      model: 'm',
      apiKey: 'k',
      timeoutMs: 5000,
    });
  });

  it('lists every bad variable at once', () => {
    try {
      readClassifierConfig({ OPENAI_BASE_URL: 'ftp://x', CLASSIFIER_TIMEOUT_MS: 'fast' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ClassifierConfigError);
      expect((error as ClassifierConfigError).issues).toEqual([
        'CLASSIFIER_TIMEOUT_MS: must be an integer from 1 to 600000',
        'OPENAI_MODEL: required when OPENAI_BASE_URL is set',
        'OPENAI_BASE_URL: must be an http(s) URL',
      ]);
    }
    expect(() => readClassifierConfig({ OPENAI_MODEL: 'm' })).toThrow(/OPENAI_BASE_URL: required/);
  });
});

// The OpenAI-compatible adapter end to end, against a loopback chat-completions endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueSuffix } from '@contextworker/test-utils';
import { createEnrichmentModule, type EnrichmentResult } from '../src/index.js';
import { startClassifierServer, type ClassifierServer, type StubAnswer } from './classifier-server.js';
import { startEnrichmentHarness, type EnrichmentHarness } from './enrichment-harness.js';

let llm: ClassifierServer;
let harness: EnrichmentHarness;

beforeAll(async () => {
  llm = await startClassifierServer();
  const env = { OPENAI_BASE_URL: llm.url('/v1'), OPENAI_MODEL: 'test-model', OPENAI_API_KEY: 'sk-test' };
  harness = await startEnrichmentHarness({ modules: [createEnrichmentModule({ env })] });
});

afterAll(async () => {
  await harness?.stop();
  await llm?.close();
});

const chat = (content: string): StubAnswer => ({ body: { choices: [{ index: 0, message: { role: 'assistant', content } }] } });

const enrich = (ids: string[]) =>
  harness.client.workflow.execute('EnrichmentWorkflow', {
    taskQueue: harness.taskQueue,
    workflowId: `enrich-${uniqueSuffix()}`,
    args: [{ tenantId: harness.tenantId, productIds: ids }],
  }) as Promise<EnrichmentResult>;

describe('OpenAI-compatible adapter', () => {
  it('stores categories of the taxonomy and records anything else as a failure', async () => {
    const { ids } = await harness.seed(3, (index) => `Палатка ${index}`);
    const [tent, invented, silent] = ids as [string, string, string];
    llm.handle(() =>
      chat(JSON.stringify({ results: [{ id: tent, categoryId: '1022', confidence: 0.8 }, { id: invented, categoryId: '424242', confidence: 0.99 }] })),
    );
    expect(await enrich(ids)).toEqual({ processed: 1, failed: 2 });

    const request = llm.requests[0];
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.body).toMatchObject({ model: 'test-model', temperature: 0 });

    const states = new Map((await harness.products()).map((product) => [product.id, product]));
    expect(states.get(tent)).toMatchObject({ enrichment_status: 'done', enrichment_result: { categoryId: '1022', classifier: 'openai:test-model' } });
    expect(states.get(invented)?.enrichment_status).toBe('failed');
    expect(states.get(invented)?.enrichment_result?.reason).toMatch(/category "424242" is not in the taxonomy/);
    expect(states.get(invented)?.enrichment_result?.categoryId).toBeUndefined();
    expect(states.get(silent)?.enrichment_result?.reason).toMatch(/no answer/);
  });

  it('fails every product of a malformed answer without storing anything from it', async () => {
    const { ids } = await harness.seed(2, (index) => `Рюкзак ${index}`);
    llm.handle(() => chat('Sure! The first one is a backpack (category 100).'));
    expect(await enrich(ids)).toEqual({ processed: 0, failed: 2 });
    const states = (await harness.products()).filter((product) => ids.includes(product.id));
    for (const state of states) {
      expect(state.enrichment_status).toBe('failed');
      expect(state.enrichment_result).toMatchObject({ reason: 'malformed model output: not JSON' });
    }
  });
});

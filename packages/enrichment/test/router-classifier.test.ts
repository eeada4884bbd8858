// The router adapter end to end: EnrichmentWorkflow on the dev server, real PostgreSQL, and a
// loopback router whose answers each test sets.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uniqueSuffix } from '@contextworker/test-utils';
import { createEnrichmentModule, type EnrichmentInput, type EnrichmentResult } from '../src/index.js';
import { routerAnswer, routerProducts, startClassifierServer, type ClassifierServer } from './classifier-server.js';
import { startEnrichmentHarness, type EnrichmentHarness } from './enrichment-harness.js';

let router: ClassifierServer;
let harness: EnrichmentHarness;

beforeAll(async () => {
  router = await startClassifierServer();
  harness = await startEnrichmentHarness({ modules: [createEnrichmentModule({ env: { ROUTER_URL: router.url(), CLASSIFIER_TIMEOUT_MS: '400' } })] });
});

afterAll(async () => {
  await harness?.stop();
  await router?.close();
});

beforeEach(() => {
  router.requests.length = 0;
});

const enrich = (input: EnrichmentInput) =>
  harness.client.workflow.execute('EnrichmentWorkflow', {
    taskQueue: harness.taskQueue,
    workflowId: `enrich-${uniqueSuffix()}`,
    args: [input],
  }) as Promise<EnrichmentResult>;

async function stateOf(id: string) {
  return (await harness.products()).find((product) => product.id === id);
}

describe('router adapter', () => {
  it('sends the documented request and stores the validated answer', async () => {
    router.handle((request) => routerAnswer(request, '1020'));
    const { ids } = await harness.seed(3, (index) => `Спальник ${index}`);
    expect(await enrich({ tenantId: harness.tenantId, productIds: ids })).toEqual({ processed: 3, failed: 0 });
    expect(router.requests).toHaveLength(1);
    const body = router.requests[0]?.body as { taxonomyVersion: string; products: Record<string, unknown>[] };
    expect(body.taxonomyVersion).toMatch(/^gpt-/);
    expect(Object.keys(body.products[0] ?? {}).sort()).toEqual(['attributes', 'category', 'description', 'id', 'name', 'vendor']);
    const product = await stateOf(ids[0] as string);
    expect(product).toMatchObject({ enrichment_status: 'done', claimed_by: null, enrichment_result: { categoryId: '1020', classifier: 'router', confidence: 0.9 } });
    expect(product?.enrichment_hash).toMatch(/:gpt-/);
  });

  it('honours 429 Retry-After, then succeeds', async () => {
    router.handle((request, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '2' }, body: { error: 'slow down' } } : routerAnswer(request)));
    const { ids } = await harness.seed(1);
    expect(await enrich({ tenantId: harness.tenantId, productIds: ids })).toEqual({ processed: 1, failed: 0 });
    expect(router.requests).toHaveLength(2);
    const waited = (router.requests[1]?.at ?? 0) - (router.requests[0]?.at ?? 0);
    expect(waited).toBeGreaterThanOrEqual(1_900);
  });

  it('retries a request that timed out', async () => {
    router.handle((request, index) => ({ ...routerAnswer(request), delayMs: index === 0 ? 1_500 : 0 }));
    const { ids } = await harness.seed(1);
    expect(await enrich({ tenantId: harness.tenantId, productIds: ids })).toEqual({ processed: 1, failed: 0 });
    expect(router.requests).toHaveLength(2);
    expect((await stateOf(ids[0] as string))?.enrichment_status).toBe('done');
  });

  it('does not retry a 400 and records it as the product failure with a clear reason', async () => {
    router.handle(() => ({ status: 400, body: { error: 'unknown field "vendor"' } }));
    const { ids } = await harness.seed(1);
    expect(await enrich({ tenantId: harness.tenantId, productIds: ids, classifyAttempts: 5 })).toEqual({ processed: 0, failed: 1 });
    expect(router.requests).toHaveLength(1);
    const product = await stateOf(ids[0] as string);
    expect(product?.enrichment_status).toBe('failed');
    expect(product?.enrichment_result?.reason).toMatch(/ClassifierRequestRejected: the router answered HTTP 400: .*unknown field.*refused/);
    expect(product?.enrichment_result?.categoryId).toBeUndefined();
  });

  it('bisects a batch with one poisoned product: 49 done, 1 failed with its reason', async () => {
    router.handle((request) =>
      routerProducts(request).some((product) => product.name.startsWith('POISON')) ? { status: 500, body: 'internal error: cannot parse name' } : routerAnswer(request),
    );
    const { ids } = await harness.seed(50, (index) => (index === 17 ? 'POISON product' : `Палатка ${index}`));
    expect(await enrich({ tenantId: harness.tenantId, productIds: ids, classifyAttempts: 2 })).toEqual({ processed: 49, failed: 1 });
    const states = (await harness.products()).filter((product) => ids.includes(product.id));
    expect(states.filter((product) => product.enrichment_status === 'done')).toHaveLength(49);
    const failed = states.filter((product) => product.enrichment_status === 'failed');
    expect(failed.map((product) => product.name)).toEqual(['POISON product']);
    expect(failed[0]?.enrichment_result?.reason).toMatch(/ClassifierUnavailable: the router answered HTTP 500: internal error/);
  });

  it('hands a harvest run\'s failing batch back for bisection: the batches around it are enriched, the product fails alone', async () => {
    router.handle((request) =>
      routerProducts(request).some((product) => product.name.startsWith('POISON')) ? { status: 500, body: 'internal error: cannot parse name' } : routerAnswer(request),
    );
    const { harvestRunId, ids } = await harness.seed(130, (index) => (index === 60 ? 'POISON product' : `Палатка ${index}`));
    expect(await enrich({ tenantId: harness.tenantId, harvestRunId, batchSize: 20, maxBatchesInFlight: 2, classifyAttempts: 2 })).toEqual({ processed: 129, failed: 1 });
    const states = (await harness.products()).filter((product) => ids.includes(product.id));
    expect(states.filter((product) => product.enrichment_status === 'done')).toHaveLength(129);
    const failed = states.filter((product) => product.enrichment_status === 'failed');
    expect(failed.map((product) => product.name)).toEqual(['POISON product']);
    expect(failed[0]?.enrichment_result?.reason).toMatch(/ClassifierUnavailable: the router answered HTTP 500/);
    expect(states.every((product) => product.claimed_by === null)).toBe(true);
  });

  it('classifies each product of a run once when two workflows enrich the same run at the same time', async () => {
    router.handle((request) => ({ ...routerAnswer(request), delayMs: 5 }));
    const { harvestRunId, ids } = await harness.seed(400);
    const results = await Promise.all([1, 2].map(() => enrich({ tenantId: harness.tenantId, harvestRunId, batchSize: 10, maxBatchesInFlight: 3 })));
    expect(results[0]!.processed + results[1]!.processed).toBe(400);
    const classified = router.requests.flatMap((request) => routerProducts(request).map((product) => product.id));
    expect(classified.sort()).toEqual([...ids].sort());
    expect((await harness.products()).filter((product) => ids.includes(product.id)).every((product) => product.enrichment_status === 'done')).toBe(true);
  });
});

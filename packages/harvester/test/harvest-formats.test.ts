import { countProducts, getProductsByExternalIds } from '@contextworker/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarvestHarness, type HarvestHarness } from './harvest-harness.js';
import { csvFeed, googleMerchantFeed, gzip, jsonFeed, jsonLinesFeed, sampleProducts, xmlFeed, ymlFeed } from './feeds.js';

let h: HarvestHarness;
beforeAll(async () => {
  h = await startHarvestHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function harvestFeed(supplierId: string, format: Parameters<HarvestHarness['addSupplier']>[0]['format'], body: string | Buffer, extra = {}) {
  h.feeds.set(`/${supplierId}`, { body });
  await h.addSupplier({ id: supplierId, feedUrl: h.feeds.url(`/${supplierId}`), format, ...extra });
  return h.harvest({ supplierId });
}

describe('after creating products', () => {
  it('starts EnrichmentWorkflow for the run, abandoned by the harvest', async () => {
    const result = await harvestFeed('enrich-me', 'csv', csvFeed(sampleProducts(3)), {});
    expect(result.status).toBe('completed');
    // harvestFeed passes enrich: false; harvest again from a changed feed with enrichment on.
    h.feeds.set('/enrich-me', { body: csvFeed(sampleProducts(4)) });
    const enriched = await h.harvest({ supplierId: 'enrich-me', enrich: true });
    expect(enriched).toMatchObject({ created: 1, enrichmentWorkflowId: `enrichment-${enriched.harvestRunId}` });
    const child = h.client.workflow.getHandle(enriched.enrichmentWorkflowId!);
    const description = await child.describe();
    expect(description.type).toBe('EnrichmentWorkflow');
    expect(description.raw.workflowExecutionInfo?.parentExecution?.workflowId).toMatch(/^harvest-enrich-me-/);
    const parentId = description.raw.workflowExecutionInfo?.parentExecution?.workflowId ?? '';
    const initiated = (await h.client.workflow.getHandle(parentId).fetchHistory()).events?.find((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
    // 2 = PARENT_CLOSE_POLICY_ABANDON: the child outlives the harvest.
    expect(initiated?.startChildWorkflowExecutionInitiatedEventAttributes?.parentClosePolicy).toBe(2);
    expect(initiated?.startChildWorkflowExecutionInitiatedEventAttributes?.input?.payloads).toHaveLength(1);
    // No enrichment worker runs in this test: stop the child so it does not linger.
    await child.terminate('test finished');
  });
});

describe('HarvestWorkflow lands every format', () => {
  const products = sampleProducts(25);
  const ids = products.map((p) => p.id);

  it.each([
    ['csv', 'csv', csvFeed(products), {}],
    ['json', 'json', jsonFeed(products), {}],
    ['jsonl', 'jsonl', jsonLinesFeed(products), {}],
    ['xml', 'xml', xmlFeed(products), { options: { recordPath: 'catalog/product', fields: { externalId: '@code', name: 'title', price: 'cost', currency: 'cur' } } }],
    ['google-merchant', 'google-merchant', googleMerchantFeed(products), {}],
    ['gzip-csv', 'csv', gzip(csvFeed(products)), {}],
  ] as const)('%s', async (supplierId, format, body, extra) => {
    const result = await harvestFeed(supplierId, format, body, extra);
    expect(result).toMatchObject({ status: 'completed', created: 25, updated: 0, unchanged: 0, invalid: 0 });
    const rows = await getProductsByExternalIds(h.catalog, { tenantId: h.tenantId, supplierId, externalIds: ids });
    expect(rows).toHaveLength(25);
    const first = rows.find((row) => row.externalId === 'sku-1');
    expect(first).toMatchObject({ name: 'Tent model 1', enrichmentStatus: 'pending' });
    expect(Number(first?.price)).toBe(100);
  });

  it('windows-1251 YML with Cyrillic text', async () => {
    const cyrillic = sampleProducts(10).map((p, i) => ({ ...p, name: `Палатка «Север» ${i + 1}`, vendor: 'Турлайн' }));
    const result = await harvestFeed('yml-1251', 'yml', ymlFeed(cyrillic, 'windows-1251'));
    expect(result).toMatchObject({ status: 'completed', created: 10, invalid: 0 });
    const [row] = await getProductsByExternalIds(h.catalog, { tenantId: h.tenantId, supplierId: 'yml-1251', externalIds: ['sku-3'] });
    expect(row).toMatchObject({ name: 'Палатка «Север» 3', vendor: 'Турлайн', category: 'Туризм > Палатки', currency: 'RUB' });
    expect(row?.attributes).toMatchObject({ Вес: '2.4 кг' });
  });

  it('reports invalid rows with their position and reason while storing the valid ones', async () => {
    const body = csvFeed(sampleProducts(5), ['sku-bad;Broken tent;-5;EUR;X', ';No id;10;EUR;Y', 'sku-1;Duplicate;12;EUR;Z']);
    const result = await harvestFeed('csv-invalid', 'csv', body);
    expect(result).toMatchObject({ status: 'completed', created: 5, invalid: 3, duplicates: 1 });
    expect(await countProducts(h.catalog, { tenantId: h.tenantId, supplierId: 'csv-invalid' })).toBe(5);
    const { rows } = await h.catalog.query<{ errors: { line?: number; reason: string }[] }>(
      'select errors from harvest_runs where tenant_id = $1 and id = $2',
      [h.tenantId, result.harvestRunId],
    ).then((r) => ({ rows: r }));
    const errors = rows[0]?.errors ?? [];
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatchObject({ line: 7 });
    expect(errors[0]?.reason).toMatch(/price/);
    expect(errors[2]?.reason).toMatch(/duplicate external id "sku-1"/);
  });
});

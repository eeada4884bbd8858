import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { countProducts } from '@contextworker/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarvestHarness, type HarvestHarness } from './harvest-harness.js';
import { csvFeed, sampleProducts } from './feeds.js';

let h: HarvestHarness;
beforeAll(async () => {
  h = await startHarvestHarness({ env: { HARVEST_MAX_FEED_BYTES: '64KiB' } });
});
afterAll(async () => {
  await h?.stop();
});

async function failure(supplierId: string, feedUrl: string, format: 'csv' | 'xml' | 'yml', options = {}) {
  await h.addSupplier({ id: supplierId, feedUrl, format, ...options });
  const error = await h.harvest({ supplierId }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowFailedError);
  // WorkflowFailedError -> ActivityFailure -> ApplicationFailure (type) -> the original error.
  let cause: unknown = (error as WorkflowFailedError).cause;
  while (cause instanceof Error && !(cause instanceof ApplicationFailure)) cause = cause.cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect((cause as ApplicationFailure).nonRetryable).toBe(true);
  expect(await countProducts(h.catalog, { tenantId: h.tenantId, supplierId })).toBe(0);
  const [run] = await h.catalog.query<{ status: string }>('select status from harvest_runs where tenant_id = $1 and supplier_id = $2', [h.tenantId, supplierId]);
  expect(run?.status).toBe('failed');
  return cause as Error & { type?: string };
}

const XML_OPTIONS = { options: { recordPath: 'catalog/product', fields: { externalId: '@code', name: 'title', price: 'cost' } } };

describe('HarvestWorkflow refuses', () => {
  it('a feed on an address outside the allow-list', async () => {
    h.feeds.set('/ok.csv', { body: csvFeed(sampleProducts(3)) });
    // 127.0.0.2 is loopback, but only 127.0.0.1/32 is allow-listed for this worker.
    const cause = await failure('private', h.feeds.url('/ok.csv').replace('127.0.0.1', '127.0.0.2'), 'csv');
    expect(cause.type).toBe('FeedBlockedAddress');
    expect(cause.message).toContain('HARVEST_ALLOW_NETWORKS');
  });

  it('an XML external entity', async () => {
    h.feeds.set('/xxe.xml', {
      body: '<?xml version="1.0"?><!DOCTYPE catalog [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><catalog><product code="1"><title>&xxe;</title><cost>1</cost></product></catalog>',
    });
    const cause = await failure('xxe', h.feeds.url('/xxe.xml'), 'xml', XML_OPTIONS);
    expect(cause.type).toBe('FeedParseError');
    expect(cause.message).not.toContain('root:');
  });

  it('entity expansion', async () => {
    const lol = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`)];
    h.feeds.set('/laughs.xml', { body: `<?xml version="1.0"?><!DOCTYPE catalog [${lol.join('')}]><catalog><product code="1"><title>&lol9;</title></product></catalog>` });
    const cause = await failure('laughs', h.feeds.url('/laughs.xml'), 'xml', XML_OPTIONS);
    expect(cause.type).toBe('FeedParseError');
  });

  it('a YML offer found malformed when it is read, without retrying', async () => {
    const offer = (id: number, name: string): string => `<offer id="${id}"><name>${name}</name><price>1</price></offer>\n`;
    h.feeds.set('/bad-offer.yml', { body: `<yml_catalog><shop><offers>\n${offer(1, 'Fine')}${offer(2, 'Tom &bogus; Jerry')}${offer(3, 'Fine')}</offers></shop></yml_catalog>` });
    const cause = await failure('bad-offer', h.feeds.url('/bad-offer.yml'), 'yml');
    expect(cause.type).toBe('FeedParseError');
    expect(cause.message).toMatch(/line 3/);
  });

  it('a feed larger than HARVEST_MAX_FEED_BYTES', async () => {
    h.feeds.set('/huge.csv', { body: csvFeed(sampleProducts(5_000)) });
    const cause = await failure('huge', h.feeds.url('/huge.csv'), 'csv');
    expect(cause.type).toBe('FeedTooLarge');
    expect(cause.message).toContain('HARVEST_MAX_FEED_BYTES');
  });

  it('a 404, without retrying, naming the status and the URL with its secrets masked', async () => {
    const cause = await failure('missing', `${h.feeds.url('/nope.csv')}?token=s3cret`, 'csv');
    expect(cause.type).toBe('FeedHttpClientError');
    expect(cause.message).toContain('404');
    expect(cause.message).not.toContain('s3cret');
    expect(h.feeds.requests('/nope.csv')).toBe(1);
  });
});

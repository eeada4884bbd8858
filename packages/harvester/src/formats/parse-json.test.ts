import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FeedParseError } from './errors.js';
import type { ParsedItem } from './feed-record.js';
import { parseJson } from './parse-json.js';
import type { JsonOptions } from './parse-json.js';
import { parseJsonLines } from './parse-json.js';

async function collect(items: AsyncIterable<ParsedItem>): Promise<ParsedItem[]> {
  const out: ParsedItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const json = (text: string, options?: JsonOptions) => collect(parseJson(Readable.from([Buffer.from(text)]), options));

describe('parseJson', () => {
  it('maps product objects, nested prices, attribute containers and image lists', async () => {
    const feed = JSON.stringify({
      shop: 'Camping',
      products: [
        {
          sku: 'T-1',
          title: 'Tent',
          price: { amount: 1299.5, currency: 'eur' },
          compareAtPrice: '1500',
          inventory: 3,
          available: true,
          images: [{ url: 'https://cdn.example/1.jpg' }, { url: 'https://cdn.example/2.jpg' }],
          attributes: { Color: 'green', Seats: 2 },
          params: [{ name: 'Weight', value: '2 kg' }],
          season: 'summer',
        },
      ],
    });
    expect(await json(feed)).toEqual([
      {
        ok: true,
        position: { line: 1, record: 1, path: 'products[0]' },
        record: {
          externalId: 'T-1',
          name: 'Tent',
          price: '1299.50',
          currency: 'EUR',
          oldPrice: '1500.00',
          stock: 3,
          available: true,
          images: ['https://cdn.example/1.jpg', 'https://cdn.example/2.jpg'],
          attributes: { Color: 'green', Seats: '2', Weight: '2 kg', season: 'summer' },
        },
      },
    ]);
  });

  it('reports bad elements with their line and path, and keeps going', async () => {
    const feed = '[\n{"id": "1", "name": "A", "price": -5},\n"text",\n{"id": 2, "name": "B", "price": NaN},\n{"id": 3, "name": "C"}\n]';
    const items = await json(feed);
    expect(items[0]).toEqual({ ok: false, externalId: '1', reason: 'price "-5" is negative', position: { line: 2, record: 1, path: '[0]' } });
    expect(items[1]).toEqual({ ok: false, reason: 'is a string, not an object', position: { line: 3, record: 2, path: '[1]' } });
    expect(items[2]).toMatchObject({ ok: false, position: { line: 4, record: 3 } });
    expect(items[2]?.ok === false && items[2].reason).toMatch(/^is not valid JSON/);
    expect(items[3]).toMatchObject({ ok: true, record: { externalId: '3' } });
  });

  it('reports a __proto__ key rather than dropping it', async () => {
    const [item] = await json('[{"id": "1", "name": "A", "__proto__": "x"}]');
    expect(item).toMatchObject({ ok: false, reason: 'attributes has the reserved name "__proto__"' });
  });

  it('rejects an absurd numeric price', async () => {
    const [item] = await json('[{"id": "1", "name": "A", "price": 1e400}]');
    expect(item).toMatchObject({ ok: false, reason: 'price "Infinity" is not a decimal number' });
  });

  it('uses a configured array path and field mapping', async () => {
    const feed = '{"data": {"rows": [{"code": "K", "label": "Stove", "cost": "9.9"}]}}';
    const [item] = await json(feed, { arrayPath: 'data.rows', fields: { externalId: 'code', name: 'label', price: 'cost' } });
    expect(item).toMatchObject({ ok: true, record: { externalId: 'K', name: 'Stove', price: '9.90' } });
  });

  it('reports an oversized element instead of parsing it', async () => {
    const [item] = await json(`[{"id": "1", "name": "${'x'.repeat(2000)}"}]`, { maxRecordChars: 1000 });
    expect(item).toMatchObject({ ok: false, reason: 'is larger than the record size limit and was not parsed' });
  });

  it('fails on input that is not JSON, and on an empty file', async () => {
    await expect(json('<rss/>')).rejects.toThrow(FeedParseError);
    await expect(json('')).rejects.toThrow(/The JSON document is empty/);
    expect(await json('{"items": []}')).toEqual([]);
  });
});

describe('parseJsonLines', () => {
  const lines = (text: string) => collect(parseJsonLines(Readable.from([Buffer.from(text)])));

  it('parses one object per line, skipping blank lines and reporting bad ones', async () => {
    const items = await lines('{"id":"1","name":"A"}\r\n\n{"id":"2",\n{"id":"3","name":"C","price":"abc"}\n{"id":"4","name":"D"}');
    expect(items.map((item) => [item.ok, item.position])).toEqual([
      [true, { line: 1, record: 1 }],
      [false, { line: 3, record: 2 }],
      [false, { line: 4, record: 3 }],
      [true, { line: 5, record: 4 }],
    ]);
    expect(items[2]).toMatchObject({ externalId: '3', reason: 'price "abc" is not a decimal number' });
  });

  it('yields nothing for an empty file', async () => {
    expect(await lines('')).toEqual([]);
  });

  it('does not keep a runaway line', async () => {
    const chunks = [Buffer.from('{"id":"1","name":"'), ...Array.from({ length: 20 }, () => Buffer.from('x'.repeat(1000))), Buffer.from('"}\n{"id":"2","name":"B"}\n')];
    const items = await collect(parseJsonLines(Readable.from(chunks), { maxRecordChars: 5000 }));
    expect(items).toEqual([
      { ok: false, reason: 'is larger than the record size limit and was not parsed', position: { line: 1, record: 1 } },
      { ok: true, position: { line: 2, record: 2 }, record: { externalId: '2', name: 'B', images: [], attributes: {} } },
    ]);
  });
});

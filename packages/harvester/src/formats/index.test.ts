import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FEED_FORMATS, FeedParseError, isFeedFormat, parseFeed, parseFeedBatches } from './index.js';
import type { ParseFeedOptions, ParsedItem } from './index.js';

async function ids(text: string, options: ParseFeedOptions): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  for await (const item of parseFeed(Readable.from([Buffer.from(text)]), options)) {
    out.push(item.ok ? item.record.externalId : item.externalId);
  }
  return out;
}

describe('parseFeed', () => {
  it('lists the supported formats', () => {
    expect(FEED_FORMATS).toEqual(['csv', 'json', 'jsonl', 'xml', 'yml', 'google-merchant']);
    expect(isFeedFormat('yml')).toBe(true);
    expect(isFeedFormat('xlsx')).toBe(false);
  });

  it.each<[string, ParseFeedOptions]>([
    ['sku,name\nA,x\n', { format: 'csv' }],
    ['{"products": [{"sku": "A", "name": "x"}]}', { format: 'json' }],
    ['{"sku": "A", "name": "x"}\n', { format: 'jsonl' }],
    ['<c><p sku="A"><name>x</name></p></c>', { format: 'xml', recordPath: 'c/p' }],
    ['<yml_catalog><shop><offers><offer id="A"><name>x</name></offer></offers></shop></yml_catalog>', { format: 'yml' }],
    [
      '<rss xmlns:g="http://base.google.com/ns/1.0"><channel><item><g:id>A</g:id><title>x</title></item></channel></rss>',
      { format: 'google-merchant' },
    ],
  ])('dispatches %j', async (text, options) => {
    expect(await ids(text, options)).toEqual(['A']);
  });

  it('refuses an unknown format, listing the known ones', async () => {
    const options = { format: 'xlsx' } as unknown as ParseFeedOptions;
    const run = ids('', options);
    await expect(run).rejects.toThrow(FeedParseError);
    await expect(ids('', options)).rejects.toThrow(
      'Unknown feed format "xlsx"; known formats: csv, json, jsonl, xml, yml, google-merchant',
    );
  });

  it('reports the detected encoding', async () => {
    const detected: string[] = [];
    const xml = '<?xml version="1.0" encoding="windows-1251"?><yml_catalog><shop><offers/></shop></yml_catalog>';
    await ids(xml, { format: 'yml', onDetect: (detection) => detected.push(`${detection.encoding} from ${detection.source}`) });
    expect(detected).toEqual(['windows-1251 from xml-declaration']);
  });

  it('requires a record path for generic XML', async () => {
    const options = { format: 'xml' } as unknown as ParseFeedOptions;
    await expect(ids('<a/>', options)).rejects.toThrow(/needs a recordPath/);
  });

  it.each<[string, ParseFeedOptions, string[]]>([
    ['csv', { format: 'csv' }, ['sku,name\n', 'A,x\nB,y\n', 'C,z\n']],
    ['json', { format: 'json' }, ['[{"sku":"A","name":"x"},', '{"sku":"B","name":"y"},', '{"sku":"C","name":"z"}]']],
    ['yml', { format: 'yml' }, ['<yml_catalog><shop><offers><offer id="A"><name>x</name></offer>', '<offer id="B"><name>y</name></offer>', '</offers></shop></yml_catalog>']],
  ])('closes the %s input when the consumer stops early', async (_name, options, chunks) => {
    const input = Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
    const seen: ParsedItem[] = [];
    for await (const item of parseFeed(input, options)) {
      seen.push(item);
      break;
    }
    expect(seen).toHaveLength(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(input.destroyed).toBe(true);
  });

  it.each<[string, ParseFeedOptions, string[]]>([
    ['csv', { format: 'csv' }, ['sku;name;price\n', 'A;x;1\nB;y;abc\n', 'C;"z\n', 'w";2\nD;"open']],
    ['yml', { format: 'yml' }, ['<yml_catalog><shop><offers><offer id="A"><name>x</name></offer>', '<offer id="B"></offer><offer id="C"><name>z', '</name></offer></offers></shop>']],
    ['xml', { format: 'xml', recordPath: 'c/p' }, ['<c><p sku="A"><name>x</name></p>', '<p sku="B"/><p sku="C"><name>z</name></p>', '<p>']],
    ['json', { format: 'json' }, ['[{"sku":"A","name":"x"},', '{"sku":"B"},', '{"sku":"C","name":"z"}']],
  ])('parseFeedBatches gives the %s items and error of parseFeed, a chunk at a time', async (_name, options, chunks) => {
    const run = async (batches: boolean): Promise<{ items: ParsedItem[]; sizes: number[]; error: unknown }> => {
      const input = Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
      const items: ParsedItem[] = [];
      const sizes: number[] = [];
      try {
        if (batches) {
          for await (const batch of parseFeedBatches(input, options)) {
            sizes.push(batch.length);
            items.push(...batch);
          }
        } else {
          for await (const item of parseFeed(input, options)) items.push(item);
        }
      } catch (error) {
        return { items, sizes, error };
      }
      return { items, sizes, error: undefined };
    };
    const single = await run(false);
    const batched = await run(true);
    expect(single.items.length).toBeGreaterThanOrEqual(3);
    expect(single.error).toBeInstanceOf(FeedParseError);
    expect(batched.items).toEqual(single.items);
    expect(batched.error).toEqual(single.error);
    expect((batched.error as FeedParseError).message).toBe((single.error as FeedParseError).message);
    expect(batched.sizes.every((size) => size > 0)).toBe(true);
  });
});

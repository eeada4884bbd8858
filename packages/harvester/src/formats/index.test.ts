import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FEED_FORMATS, FeedParseError, isFeedFormat, parseFeed } from './index.js';
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
});

import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FeedParseError } from './errors.js';
import type { ParsedItem } from './feed-record.js';
import { parseXml } from './parse-xml.js';
import type { XmlOptions } from './parse-xml.js';

async function collect(text: string | Buffer, options: XmlOptions): Promise<ParsedItem[]> {
  const out: ParsedItem[] = [];
  for await (const item of parseXml(Readable.from([Buffer.from(text)]), options)) out.push(item);
  return out;
}

async function failure(text: string, options: XmlOptions): Promise<FeedParseError> {
  const error = await collect(text, options).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(FeedParseError);
  return error as FeedParseError;
}

const CATALOG = `<?xml version="1.0" encoding="UTF-8"?>
<catalog>
  <meta><generated>today</generated></meta>
  <product id="P-1">
    <title>Gas stove &amp; pot</title>
    <price currency="EUR">49.90</price>
    <images><image>https://cdn.example/1.jpg</image><image>https://cdn.example/2.jpg</image></images>
    <description><![CDATA[<b>Light</b> &nbsp; compact]]></description>
    <weight unit="g">350</weight>
  </product>
  <product id="P-2"><title>No price &laquo;ok&raquo;</title></product>
</catalog>`;

describe('parseXml', () => {
  it('maps record elements by alias, with attributes and nested selectors', async () => {
    const items = await collect(CATALOG, { recordPath: 'catalog/product' });
    expect(items).toEqual([
      {
        ok: true,
        position: { line: 4, record: 1, path: 'catalog/product' },
        record: {
          externalId: 'P-1',
          name: 'Gas stove & pot',
          price: '49.90',
          currency: 'EUR',
          images: ['https://cdn.example/1.jpg', 'https://cdn.example/2.jpg'],
          description: '<b>Light</b> &nbsp; compact',
          attributes: { weight: '350', 'weight/@unit': 'g' },
        },
      },
      {
        ok: true,
        position: { line: 11, record: 2, path: 'catalog/product' },
        record: { externalId: 'P-2', name: 'No price «ok»', images: [], attributes: {} },
      },
    ]);
  });

  it('applies explicit selectors', async () => {
    const xml = '<root><items><item code="A"><label>Lamp</label><cost>5</cost><ref>X</ref></item></items></root>';
    const [item] = await collect(xml, { recordPath: '/root/items/item/', fields: { externalId: '@code', name: 'label', price: 'cost' } });
    expect(item).toMatchObject({ ok: true, record: { externalId: 'A', name: 'Lamp', price: '5.00', attributes: { ref: 'X' } } });
  });

  it('keeps attributes with their own element only, and never a "__proto__" one', async () => {
    const xml = `<catalog version="2"><group kind="g"><product id="P-1" __proto__="x"><title lang='en'>Lamp</title><size w="1" h="2"/><tag/></product>
<product id="P-2"><title>Plain</title></product></group></catalog>`;
    const items = await collect(xml, { recordPath: 'catalog/group/product' });
    expect(items.map((item) => item.ok && item.record)).toEqual([
      { externalId: 'P-1', name: 'Lamp', images: [], attributes: { 'title/@lang': 'en', 'size/@w': '1', 'size/@h': '2' } },
      { externalId: 'P-2', name: 'Plain', images: [], attributes: {} },
    ]);
  });

  it('fails on malformed XML with the line, after yielding the records before it', async () => {
    const xml = '<catalog>\n<product id="1"><name>A</name></product>\n<product id="2"><name>B</name>\n</catalog>';
    const seen: ParsedItem[] = [];
    const error = await (async () => {
      for await (const item of parseXml(Readable.from([Buffer.from(xml)]), { recordPath: 'catalog/product' })) seen.push(item);
    })().then(() => undefined, (e: unknown) => e);
    expect(seen).toHaveLength(1);
    expect(error).toBeInstanceOf(FeedParseError);
    expect((error as FeedParseError).message).toMatch(/^Malformed XML: unexpected close tag/);
    expect((error as FeedParseError).position.line).toBe(4);
  });

  it('refuses an unknown entity instead of guessing', async () => {
    const error = await failure('<catalog><product id="1"><name>&bogus;</name></product></catalog>', { recordPath: 'catalog/product' });
    expect(error.message).toMatch(/Malformed XML: undefined entity/);
  });

  it('refuses entity declarations without expanding them (billion laughs)', async () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('\n');
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE catalog [\n<!ENTITY lol0 "lol">\n${levels}\n]>\n<catalog><product id="1"><name>&lol9;</name></product></catalog>`;
    const before = process.memoryUsage().heapUsed;
    const error = await failure(xml, { recordPath: 'catalog/product' });
    expect(error.message).toMatch(/^Refused XML: the DOCTYPE declares entities/);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('never reads an external SYSTEM entity', async () => {
    const xml = '<?xml version="1.0"?><!DOCTYPE catalog [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><catalog><product id="1"><name>&xxe;</name></product></catalog>';
    const error = await failure(xml, { recordPath: 'catalog/product' });
    expect(error.message).toMatch(/DOCTYPE declares entities/);
    expect(error.message).not.toMatch(/root:/);
  });

  it('accepts a DOCTYPE that only names a DTD', async () => {
    const xml = '<?xml version="1.0"?><!DOCTYPE catalog SYSTEM "file:///etc/passwd"><catalog><product id="1"><name>A</name></product></catalog>';
    expect(await collect(xml, { recordPath: 'catalog/product' })).toMatchObject([{ ok: true, record: { name: 'A' } }]);
  });

  it('refuses a document whose root does not match the record path', async () => {
    const error = await failure('<shop><product/></shop>', { recordPath: 'catalog/product' });
    expect(error.message).toMatch(/XML root element is <shop>, but recordPath "catalog\/product" starts at <catalog>/);
  });

  it('fails on an empty document and on text that is not XML', async () => {
    expect((await failure('  \n', { recordPath: 'a/b' })).message).toMatch(/The XML document is empty/);
    expect((await failure('{"products": []}', { recordPath: 'a/b' })).message).toMatch(/^Malformed XML/);
  });

  it('reports a record above the size limit without keeping it', async () => {
    const xml = `<c><p id="1"><name>${'x'.repeat(5000)}</name></p><p id="2"><name>ok</name></p></c>`;
    const items = await collect(xml, { recordPath: 'c/p', maxRecordChars: 1000 });
    expect(items.map((item) => item.ok)).toEqual([false, true]);
  });
});

describe('parseXml memory guards', () => {
  it('stops on a node that never ends instead of buffering the rest of the file', async () => {
    const chunks = [Buffer.from('<c><p id="1"><name>A</name></p><!-- unterminated'), ...Array.from({ length: 50 }, () => Buffer.from('x'.repeat(1000)))];
    const run = async () => {
      for await (const item of parseXml(Readable.from(chunks), { recordPath: 'c/p', maxRecordChars: 5000 })) void item;
    };
    await expect(run()).rejects.toThrow(/XML node longer than 10000 characters/);
  });
});

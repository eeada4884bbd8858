import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { FeedParseError } from './errors.js';
import type { FeedRow, ParsedItem } from './feed-record.js';
import { parseYmlRowBatches } from './parse-yml.js';
import type { YmlInternals, YmlOptions } from './parse-yml.js';

interface Doc {
  text: string;
  options?: YmlOptions;
  encoding?: string;
  /** The splitter gives up on it: every offer is parsed with the document, none is cut out. */
  uncut?: boolean;
}

interface Parsed {
  rows: FeedRow[];
  items: ParsedItem[];
}

const SPLIT: YmlInternals = {};
const WHOLE: YmlInternals = { split: false };
const OVERSIZED = 'is larger than the record size limit and was not parsed';

/**
 * The document with short comments after its declaration: the first kilobyte is decoded in one piece, so
 * this makes the rest arrive in the chunks it is cut into. No line changes.
 */
function padded(text: string): string {
  const padding = '<!-- padding -->'.repeat(80);
  const declaration = /^<\?xml[^>]*\?>/.exec(text)?.[0] ?? '';
  return declaration + padding + text.slice(declaration.length);
}

function bytesOf(doc: Doc, pad = false): Buffer {
  const text = pad ? padded(doc.text) : doc.text;
  return doc.encoding === undefined ? Buffer.from(text) : iconv.encode(text, doc.encoding);
}

function chunksOf(bytes: Buffer, size: number | undefined): Buffer[] {
  if (size === undefined) return [bytes];
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

/** Reads every row as it arrives. */
async function parse(bytes: Buffer, options: YmlOptions, internals: YmlInternals, size?: number): Promise<Parsed> {
  const parsed: Parsed = { rows: [], items: [] };
  const input = Readable.from(chunksOf(bytes, size));
  for await (const rows of internals === SPLIT ? parseYmlRowBatches(input, options) : parseYmlRowBatches(input, options, internals)) {
    for (const row of rows) {
      parsed.rows.push(row);
      parsed.items.push(row.read());
    }
  }
  return parsed;
}

async function failure(bytes: Buffer, internals: YmlInternals, size?: number): Promise<FeedParseError> {
  try {
    await parse(bytes, {}, internals, size);
  } catch (error) {
    expect(error).toBeInstanceOf(FeedParseError);
    const { message, position } = error as FeedParseError;
    if (position.line !== undefined) expect(message).toContain(`line ${position.line}`);
    return error as FeedParseError;
  }
  throw new Error('expected a FeedParseError');
}

const idOf = (item: ParsedItem): string | undefined => (item.ok ? item.record.externalId : item.externalId);

const FULL = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE yml_catalog SYSTEM "shops.dtd">
<yml_catalog date="2024-05-01 10:00">
  <shop>
    <name>Camping Trade</name>
    <company>Camping Trade LLC</company>
    <url>https://shop.example/</url>
    <currencies>
      <currency id="RUR" rate="1"/>
      <currency id="USD" rate="CBRF"/>
    </currencies>
    <categories>
      <category id="3" parentId="2">Tents</category>
      <category id="1">Outdoor</category>
      <category id="2" parentId="1">Camping</category>
    </categories>
    <delivery-options><option cost="300" days="1-3"/></delivery-options>
    <offers>
      <offer id="T-100" available="true" group_id="77">
        <url>https://shop.example/t100</url>
        <price>12 990</price>
        <oldprice>14990.00</oldprice>
        <currencyId>RUR</currencyId>
        <categoryId>3</categoryId>
        <picture>https://cdn.example/t100-1.jpg</picture>
        <picture>https://cdn.example/t100-2.jpg</picture>
        <name>Tent Alpine 2</name>
        <vendor>Acme</vendor>
        <vendorCode>AC-T2</vendorCode>
        <barcode>4600000000017</barcode>
        <barcode>4600000000024</barcode>
        <description><![CDATA[<p>Two-person tent</p> & more]]></description>
        <param name="Weight" unit="kg">2.4</param>
        <param name="Season">summer</param>
        <count>5</count>
        <sales_notes>prepayment</sales_notes>
        <delivery-options><option cost="0" days="0"/></delivery-options>
      </offer>
      <offer id="S-7" type="vendor.model" available="false">
        <price>45.5</price>
        <currencyId>USD</currencyId>
        <categoryId>99</categoryId>
        <typePrefix>Stove</typePrefix>
        <vendor>Primus</vendor>
        <model>Express</model>
        <outlets><outlet id="1" instock="2"/><outlet id="2" instock="3"/></outlets>
      </offer>
      <offer id="B-1"><name>No currency given</name><price>10</price><categoryId>2</categoryId></offer>
      <offer available="true"><name>Missing id</name><price>abc</price></offer>
    </offers>
    <gifts><gift id="g1"><name>Not an offer</name></gift></gifts>
    <promos><promo id="p1"><purchase><offer offer-id="T-100"/></purchase></promo></promos>
  </shop>
</yml_catalog>
`;

const CATALOG = (offers: string, head = '<currencies><currency id="RUR" rate="1"/></currencies>\n<categories><category id="1">Tools</category></categories>'): string => `<?xml version="1.0" encoding="UTF-8"?>
<yml_catalog date="2024-05-01">
<shop>
${head}
<offers>
${offers}
</offers>
</shop>
</yml_catalog>
`;

const CORPUS: Record<string, Doc> = {
  'a full catalog': { text: FULL },
  'comments and processing instructions inside and between offers': {
    text: CATALOG(`<!-- first -->
<offer id="1"><!-- inside --><name>Ham<!-- in text -->mer</name><price>5</price><categoryId>1</categoryId></offer>
<?generator step="2"?>
<!-- <offer id="commented-out"><name>x</name></offer> -->
<offer id="2">
  <name>Saw</name>
  <!--
    </offer> <offer id="in-a-comment">
  -->
  <?pi </offer>?>
  <price>7</price>
</offer><!-- right after --><offer id="3"><name>File</name><price>1</price></offer>`),
  },
  'entities in text and attributes': {
    text: CATALOG(
      `<offer id="1" available="true" title="a&nbsp;b &amp; c">
  <name>Tom &amp; Jerry &#169; 2024&nbsp;edition &lt;b&gt;</name>
  <price>10</price>
  <categoryId>1</categoryId>
  <vendor>A&#x26;B</vendor>
  <param name="Size &amp; fit" unit="&#181;m">5&nbsp;x&nbsp;5</param>
  <description>&laquo;quoted&raquo; &mdash; done</description>
  <sales_notes>&quot;cash&quot; &apos;only&apos;</sales_notes>
</offer>
<offer id="2" bid="&#49;0"><name>Plain</name><price>1&#46;5</price><categoryId>2</categoryId></offer>`,
      '<categories><category id="1">Home &amp; Garden</category><category id="2" parentId="1">Tools &#8470;1</category></categories>',
    ),
  },
  'ids with entities, spaces and other quotes': {
    text: CATALOG(`<offer id="A&amp;B"><name>a</name><price>1</price></offer>
<offer id=" 42 "><name>b</name><price>1</price></offer>
<offer id='7'><name>c</name><price>1</price></offer>
<offer id="&#49;2"><name>d</name><price>1</price></offer>
<offer id="tab&#9;id"><name>e</name><price>1</price></offer>
<offer id=""><name>f</name><price>1</price></offer>
<offer
  available="true"
  id = "8"><name>g</name><price>1</price></offer>`),
  },
  'categories listed after some offers': {
    text: CATALOG(
      `<offer id="1"><name>a</name><price>1</price><categoryId>2</categoryId></offer>
<offer id="2"><name>b</name><price>1</price><categoryId>1</categoryId></offer>
</offers>
<categories>
<category id="2" parentId="1">Tents</category>
<category id="1">Camping</category>
</categories>
<offers>
<offer id="3"><name>c</name><price>1</price><categoryId>2</categoryId></offer>`,
      '<categories><category id="1">Outdoor</category></categories>',
    ),
  },
  'currencies, one at rate 1, changed between offers': {
    text: CATALOG(
      `<offer id="1"><name>a</name><price>1</price></offer>
<offer id="2"><name>b</name><price>1</price><currencyId>USD</currencyId></offer>
</offers>
<currencies><currency id="EUR" rate="1"/></currencies>
<offers>
<offer id="3"><name>c</name><price>1</price></offer>`,
      '<currencies>\n<currency id="USD" rate="CBRF"/>\n<currency id="RUR" rate=" 1 "/>\n</currencies>',
    ),
  },
  'windows-1251 with windows line endings': {
    encoding: 'windows-1251',
    text: `<?xml version="1.0" encoding="windows-1251"?>
<yml_catalog>
<shop>
<categories><category id="1">Туризм</category><category id="2" parentId="1">Спальники</category></categories>
<offers>
<offer id="1" available="true">
  <name>Спальник «Зима»</name>
  <price>2 490,00</price>
  <currencyId>RUB</currencyId>
  <categoryId>2</categoryId>
  <param name="Цвет">синий</param>
  <description>
    Тёплый
    и лёгкий
  </description>
</offer>
<offer id="2"><name>Коврик</name><price>990</price><categoryId>1</categoryId></offer>
</offers>
</shop>
</yml_catalog>
`.replace(/\n/g, '\r\n'),
  },
  'offers of type vendor.model': {
    text: CATALOG(`<offer id="vm-1" type="vendor.model" available="true">
  <typePrefix>Lamp</typePrefix><vendor>Lux</vendor><model>L1</model><price>5</price>
</offer>
<offer id="vm-2" type="vendor.model"><vendor>OnlyVendor</vendor><price>6</price></offer>
<offer id="vm-3" type="vendor.model"><name>Named</name><model>M3</model><price>7</price></offer>`),
  },
  'an oversized offer with a small record limit': {
    options: { maxRecordChars: 400 },
    text: CATALOG(`<offer id="1"><name>small</name><price>1</price></offer>
<offer id="big" available="true">
  <name>big</name>
  <description>${'long text '.repeat(50)}</description>
</offer>
<offer id="3"><name>after</name><price>3</price></offer>`),
  },
  'an oversized offer whose id has an entity': {
    options: { maxRecordChars: 400 },
    text: CATALOG(`<offer id="big&amp;1"><name>big</name><description>${'long text '.repeat(50)}</description></offer>`),
  },
  'self-closing offers': {
    text: CATALOG(`<offer id="1"/>
<offer id="2" available="false" />
<offer id="3"><name>full</name><price>1</price></offer>`),
  },
  'an empty offers element': {
    text: '<?xml version="1.0"?>\n<yml_catalog><shop><currencies/><categories/><offers/></shop></yml_catalog>\n',
  },
  'text that would read "]]>" if an offer left nothing in its place': {
    text: CATALOG(']]<offer id="1"><name>a</name><price>1</price></offer>>'),
  },
  'an oversized offer whose start tag only the parser reads': {
    options: { maxRecordChars: 200 },
    text: CATALOG(`<offer id="big&amp;1" note="a\tb"><name>big</name><description>${'long text '.repeat(30)}</description></offer>`),
  },
  'a start tag across lone carriage returns': {
    text: CATALOG('<offer\rid="1"\ravailable="true"><name>a</name><price>1</price></offer>\n<offer id="2"><name>b</name><price>1</price></offer>').replace(/\n/g, '\r'),
  },
  'an offers element with only comments': {
    text: CATALOG('<!-- no offers today -->\n\n'),
  },
  'a document on a single line': {
    text: CATALOG(
      '<offer id="1"><name>a</name><price>1</price><categoryId>1</categoryId></offer><offer id="2"><name>b</name><price>2</price></offer>'.repeat(3),
    ).replace(/\n/g, ''),
  },
  'offers that are not valid records': {
    text: CATALOG(`<offer id="1"><price>1</price></offer>
<offer id="2"><name>no price</name></offer>
<offer id="3"><name>bad price</name><price>1,2,3</price><currencyId>XXX1</currencyId></offer>
<offer id="4" available="maybe"><name>n</name><price>1</price><count>-1</count></offer>`),
  },
  'old Mac line endings': {
    text: CATALOG(`<offer id="1">
<name>a</name>
<price>1</price>
</offer>
<offer id="2"><name>b</name><price>1</price></offer>`).replace(/\n/g, '\r'),
  },
  'an XML 1.1 document': {
    uncut: true,
    text: CATALOG('<offer id="1"><name>a&#x1;b</name><price>1</price></offer>').replace('version="1.0"', 'version="1.1"'),
  },
  'an id-like text inside another attribute': {
    text: CATALOG(`<offer note=" id='7'" id="5"><name>a</name><price>1</price></offer>`),
  },
};

const DOCS = Object.entries(CORPUS);

describe('YML offers cut out of the text', () => {
  it.each(DOCS)('%s: read as the parser of the whole document reads them', async (_, doc) => {
    const options = doc.options ?? {};
    const split = await parse(bytesOf(doc), options, SPLIT);
    const whole = await parse(bytesOf(doc), options, WHOLE);
    expect(split.items).toEqual(whole.items);
  });

  it.each(DOCS)('%s: read as the parser of the whole document reads them, in 7-byte chunks', async (_, doc) => {
    const options = doc.options ?? {};
    const split = await parse(bytesOf(doc, true), options, SPLIT, 7);
    const whole = await parse(bytesOf(doc, true), options, WHOLE, 7);
    expect(split.items).toEqual(whole.items);
  });

  it.each(DOCS)('%s: have a fingerprint that does not depend on the chunks, and the id of their record', async (_, doc) => {
    const options = doc.options ?? {};
    const { rows, items } = await parse(bytesOf(doc, true), options, SPLIT);
    const chunked = await parse(bytesOf(doc, true), options, SPLIT, 7);
    expect(chunked.rows.map((row) => row.fingerprint)).toEqual(rows.map((row) => row.fingerprint));
    rows.forEach((row, i) => {
      const item = items[i] as ParsedItem;
      if (doc.uncut === true || (!item.ok && item.reason === OVERSIZED)) expect(row.fingerprint).toBeUndefined();
      else expect(row.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      if (row.externalId !== undefined) expect(row.externalId).toBe(idOf(item));
    });
    const whole = await parse(bytesOf(doc), options, WHOLE);
    expect(whole.rows.filter((row) => row.fingerprint !== undefined || row.externalId !== undefined)).toEqual([]);
  });

  it('measures the record size limit on the offer\'s source, markup included', async () => {
    const text = CATALOG(`<offer id="1">${'<param name="p">v</param>'.repeat(20)}<name>n</name><price>1</price></offer>`);
    const { rows, items } = await parse(bytesOf({ text }), { maxRecordChars: 400 }, SPLIT);
    expect(items).toEqual([expect.objectContaining({ ok: false, externalId: '1', reason: OVERSIZED })]);
    expect(rows[0]?.fingerprint).toBeUndefined();
    expect((await parse(bytesOf({ text }), { maxRecordChars: 600 }, SPLIT)).items).toEqual([expect.objectContaining({ ok: true })]);
  });

  it('names a plain id without reading the row, and never an id other than the record\'s', async () => {
    const { rows, items } = await parse(bytesOf(CORPUS['ids with entities, spaces and other quotes']!), {}, SPLIT);
    expect(items.map(idOf)).toEqual(['A&B', '42', '7', '12', 'tab\tid', undefined, '8']);
    expect(rows.map((row, i) => row.externalId ?? idOf(items[i] as ParsedItem))).toEqual(items.map(idOf));
    expect([1, 2, 6].map((i) => rows[i]?.externalId)).toEqual(['42', '7', '8']);
    expect((await parse(bytesOf(CORPUS['a full catalog']!), {}, SPLIT)).rows.map((row) => row.externalId)).toEqual(['T-100', 'S-7', 'B-1', undefined]);
  });

  it('changes only the fingerprint of an offer whose text changes', async () => {
    const before = await parse(bytesOf({ text: FULL }), {}, SPLIT);
    const after = await parse(bytesOf({ text: FULL.replace('<price>45.5</price>', '<price>45.6</price>') }), {}, SPLIT);
    expect(after.rows.map((row, i) => row.fingerprint === before.rows[i]?.fingerprint)).toEqual([true, false, true, true]);
    const spaced = await parse(bytesOf({ text: FULL.replace('<offer id="B-1">', '<offer  id="B-1">') }), {}, SPLIT);
    expect(spaced.rows.map((row, i) => row.fingerprint === before.rows[i]?.fingerprint)).toEqual([true, true, false, true]);
  });

  it('changes the fingerprints of all offers after a category or currency that changes', async () => {
    const doc = CORPUS['categories listed after some offers']!.text;
    const before = await parse(bytesOf({ text: doc }), {}, SPLIT);
    const same = (text: string): Promise<boolean[]> =>
      parse(bytesOf({ text }), {}, SPLIT).then(({ rows }) => rows.map((row, i) => row.fingerprint === before.rows[i]?.fingerprint));
    expect(await same(doc)).toEqual([true, true, true]);
    expect(await same(doc.replace('>Tents<', '>Tarps<'))).toEqual([true, true, false]);
    expect(await same(doc.replace('>Outdoor<', '>Outdoors<'))).toEqual([false, false, false]);

    const currencies = CORPUS['currencies, one at rate 1, changed between offers']!.text;
    const base = await parse(bytesOf({ text: currencies }), {}, SPLIT);
    const changed = await parse(bytesOf({ text: currencies.replace('<currency id="EUR" rate="1"/>', '<currency id="EUR" rate="CBRF"/>') }), {}, SPLIT);
    expect(changed.rows.map((row, i) => row.fingerprint === base.rows[i]?.fingerprint)).toEqual([true, true, false]);
    const first = await parse(bytesOf({ text: currencies.replace('rate=" 1 "', 'rate="1"') }), {}, SPLIT);
    expect(first.rows.map((row, i) => row.fingerprint === base.rows[i]?.fingerprint)).toEqual([false, false, false]);
  });

  it('gives other fingerprints, but the same items, under other options', async () => {
    const plain = await parse(bytesOf({ text: FULL }), {}, SPLIT);
    const encoded = await parse(bytesOf({ text: FULL }), { encoding: 'utf-8' }, SPLIT);
    expect(encoded.items).toEqual(plain.items);
    expect(encoded.rows.map((row, i) => row.fingerprint !== plain.rows[i]?.fingerprint)).toEqual([true, true, true, true]);
  });

  describe('in a malformed document', () => {
    const around = (offer: string): string => CATALOG(`<offer id="1"><name>a</name><price>1</price></offer>\n${offer}\n<offer id="3"><name>c</name><price>1</price></offer>`);
    /** The line each way names: one for both, or two where the split way names the offer's end and saxes the document's. */
    const MALFORMED: [string, string, number | { split: number; whole: number }][] = [
      ['mismatched tags inside an offer', around('<offer id="2">\n<name>b</nam>\n<price>1</price>\n</offer>'), 9],
      ['an undeclared entity inside an offer', around('<offer id="2">\n<name>b &foo; c</name>\n<price>1</price>\n</offer>'), 9],
      ['"<" in an attribute value of an offer', around('<offer id="2"\n  available="a<b">\n<name>b</name>\n</offer>'), 9],
      ['a document truncated inside an offer', around('<offer id="2">\n<name>b</name>\n<pri\n').replace(/(?<=<pri)\n[^]*$/, ''), 10],
      ['an offers element never closed', around('<offer id="2"><name>b</name></offer>').replace('</offers>\n', ''), 10],
      // saxes reads on after a bare "&" until a ";": in its own document the offer's end, in the feed the document's.
      ['an unescaped "&" inside an offer', around('<offer id="2">\n<name>Tom & Jerry</name>\n<price>1</price>\n</offer>'), { split: 11, whole: 16 }],
      ['"&am" and "p;" on either side of an offer', CATALOG('&am<offer id="1"><name>a</name><price>1</price></offer>p;'), 7],
      ['an unfinished reference before the offers', CATALOG('&bogus<offer id="1"><name>a</name><price>1</price></offer>\n<offer id="2"><name>b</name><price>1</price></offer>'), 12],
      ['a control character in a comment inside an offer', around('<offer id="2">\n<!-- \u0001 -->\n<name>b</name></offer>'), 9],
      ['a control character in CDATA inside an offer', around('<offer id="2">\n<name><![CDATA[a\u0001b]]></name>\n</offer>'), 9],
      [
        'an offers element never closed after a multi-line offer, with old Mac line endings',
        CATALOG('<offer id="1">\n<name>a</name>\n<price>1</price>\n</offer>').replace('</offers>\n', '').replace(/\n/g, '\r'),
        11,
      ],
    ];

    /** The line each way names, for the whole input and for it in 7-byte chunks. */
    async function linesOf(text: string, internals: YmlInternals): Promise<{ input: number | undefined; chunks: number | undefined }> {
      const input = await failure(Buffer.from(text), internals);
      const chunks = await failure(Buffer.from(padded(text)), internals, 7);
      return { input: input.position.line, chunks: chunks.position.line };
    }

    /** The items read before the document fails. */
    async function itemsBefore(text: string, internals: YmlInternals, size?: number): Promise<ParsedItem[]> {
      const items: ParsedItem[] = [];
      const input = Readable.from(chunksOf(Buffer.from(text), size));
      await expect(
        (async () => {
          for await (const rows of parseYmlRowBatches(input, {}, internals)) for (const row of rows) items.push(row.read());
        })(),
      ).rejects.toThrow(FeedParseError);
      return items;
    }

    it.each(MALFORMED)('%s: both ways read the same items before failing', async (_, text) => {
      expect(await itemsBefore(text, SPLIT)).toEqual(await itemsBefore(text, WHOLE));
      expect(await itemsBefore(padded(text), SPLIT, 7)).toEqual(await itemsBefore(padded(text), WHOLE, 7));
    });

    it.each(MALFORMED.filter(([, , line]) => typeof line === 'number'))('%s: both ways fail naming the same line', async (_, text) => {
      expect(await linesOf(text, SPLIT)).toEqual(await linesOf(text, WHOLE));
    });

    it.each(MALFORMED)('%s: both ways name the line of the problem', async (_, text, line) => {
      const { split, whole } = typeof line === 'number' ? { split: line, whole: line } : line;
      expect({ split: await linesOf(text, SPLIT), whole: await linesOf(text, WHOLE) }).toEqual({
        split: { input: split, chunks: split },
        whole: { input: whole, chunks: whole },
      });
    });
  });
});

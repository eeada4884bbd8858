import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { FeedParseError } from './errors.js';
import type { ParsedItem } from './feed-record.js';
import { parseYml } from './parse-yml.js';

async function collect(input: Buffer | AsyncIterable<Buffer>): Promise<ParsedItem[]> {
  const out: ParsedItem[] = [];
  for await (const item of parseYml(Buffer.isBuffer(input) ? Readable.from([input]) : Readable.from(input))) out.push(item);
  return out;
}

const YML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE yml_catalog SYSTEM "shops.dtd">
<yml_catalog date="2024-05-01 10:00">
  <shop>
    <name>Camping Trade</name>
    <currencies>
      <currency id="RUR" rate="1"/>
      <currency id="USD" rate="CBRF"/>
    </currencies>
    <categories>
      <category id="3" parentId="2">Tents</category>
      <category id="1">Outdoor</category>
      <category id="2" parentId="1">Camping</category>
    </categories>
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
        <description><![CDATA[<p>Two-person tent</p>]]></description>
        <param name="Weight" unit="kg">2.4</param>
        <param name="Season">summer</param>
        <count>5</count>
        <sales_notes>prepayment</sales_notes>
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
      <offer id="B-1"><name>No currency given</name><price>10</price></offer>
      <offer available="true"><name>Missing id</name><price>abc</price></offer>
    </offers>
  </shop>
</yml_catalog>`;

describe('parseYml', () => {
  it('parses offers with the category path, params and vendor.model names', async () => {
    const items = await collect(Buffer.from(YML));
    expect(items[0]).toEqual({
      ok: true,
      position: { line: 16, record: 1, path: 'yml_catalog/shop/offers/offer' },
      record: {
        externalId: 'T-100',
        name: 'Tent Alpine 2',
        description: '<p>Two-person tent</p>',
        vendor: 'Acme',
        category: 'Outdoor > Camping > Tents',
        categoryId: '3',
        price: '12990.00',
        oldPrice: '14990.00',
        currency: 'RUB',
        stock: 5,
        available: true,
        url: 'https://shop.example/t100',
        images: ['https://cdn.example/t100-1.jpg', 'https://cdn.example/t100-2.jpg'],
        barcode: '4600000000017',
        attributes: { group_id: '77', Weight: '2.4 kg', Season: 'summer', vendorCode: 'AC-T2', sales_notes: 'prepayment' },
      },
    });
    expect(items[1]).toMatchObject({
      ok: true,
      record: { externalId: 'S-7', name: 'Stove Primus Express', vendor: 'Primus', price: '45.50', currency: 'USD', stock: 5, available: false, categoryId: '99', attributes: { type: 'vendor.model' } },
    });
    expect(items[1]?.ok === true && items[1].record.category).toBeUndefined();
    // Without currencyId, the offer is priced in the shop's rate-1 currency.
    expect(items[2]).toMatchObject({ ok: true, record: { externalId: 'B-1', currency: 'RUB' } });
    expect(items[3]).toEqual({
      ok: false,
      position: { line: 44, record: 4, path: 'yml_catalog/shop/offers/offer' },
      reason: 'externalId is required; price "abc" is not a decimal number',
    });
  });

  it('decodes a windows-1251 feed announced in its declaration', async () => {
    const xml = `<?xml version="1.0" encoding="windows-1251"?>
<yml_catalog><shop><categories><category id="1">Туризм</category><category id="2" parentId="1">Спальники</category></categories>
<offers><offer id="1" available="true"><name>Спальник «Зима»</name><price>2 490,00</price><currencyId>RUB</currencyId><categoryId>2</categoryId><param name="Цвет">синий</param></offer></offers></shop></yml_catalog>`;
    const [item] = await collect(iconv.encode(xml, 'windows-1251'));
    expect(item).toMatchObject({
      ok: true,
      record: { name: 'Спальник «Зима»', price: '2490.00', category: 'Туризм > Спальники', attributes: { Цвет: 'синий' } },
    });
  });

  it('flags an offer with bytes that are not valid UTF-8', async () => {
    const head = Buffer.from('<yml_catalog><shop><offers><offer id="1"><name>Pal');
    const tail = Buffer.from('ka</name></offer><offer id="2"><name>Fine</name></offer></offers></shop></yml_catalog>');
    const items = await collect(Buffer.concat([head, Buffer.from([0xcf, 0xe0, 0xeb]), tail]));
    expect(items[0]).toMatchObject({ ok: false, externalId: '1' });
    expect(items[0]?.ok === false && items[0].reason).toMatch(/^name contains bytes that are not valid/);
    expect(items[1]).toMatchObject({ ok: true });
  });

  it('reads the first of repeated fields, skips an empty one and keeps unknown leaf children as attributes', async () => {
    const xml = `<yml_catalog><shop><offers>
<offer id="R-1" bid="3"><name> </name><name>Second</name><typePrefix>Lamp</typePrefix><vendor>Lux</vendor><vendor>Other</vendor><model>L1</model><price>5</price><price>6</price><count></count><quantity>4</quantity><country_of_origin>China</country_of_origin><dimensions><w>1</w></dimensions></offer>
<offer id="R-2"><name>Named</name><model>M2</model><price>7</price><stock_quantity>2</stock_quantity><barcode>111</barcode><barcode>222</barcode><outlets><outlet instock="1"/></outlets></offer>
<offer id="R-3"><name>Outlets</name><outlets><outlet id="1" instock="x"/><outlet id="2" instock="2"/></outlets></offer>
</offers></shop></yml_catalog>`;
    const items = await collect(Buffer.from(xml));
    expect(items.map((item) => item.ok && item.record)).toEqual([
      // The first <name> is blank, so the name is composed as for type="vendor.model" and model is not an attribute.
      { externalId: 'R-1', name: 'Lamp Lux L1', vendor: 'Lux', price: '5.00', stock: 4, images: [], attributes: { bid: '3', country_of_origin: 'China' } },
      { externalId: 'R-2', name: 'Named', price: '7.00', stock: 2, images: [], barcode: '111', attributes: { barcode: '222', model: 'M2' } },
      false,
    ]);
    // Outlet counts that are not all whole numbers: the first is reported, not summed.
    expect(items[2]).toMatchObject({ ok: false, reason: 'stock "x" is not a whole number' });
  });

  it('survives a category cycle', async () => {
    const xml = '<yml_catalog><shop><categories><category id="1" parentId="2">A</category><category id="2" parentId="1">B</category></categories><offers><offer id="x"><name>n</name><categoryId>1</categoryId></offer></offers></shop></yml_catalog>';
    const [item] = await collect(Buffer.from(xml));
    expect(item).toMatchObject({ ok: true, record: { category: 'B > A' } });
  });

  it('refuses documents that are not YML, malformed or empty', async () => {
    await expect(collect(Buffer.from('<rss><channel/></rss>'))).rejects.toThrow(/Not a YML feed: the root element is <rss>/);
    await expect(collect(Buffer.from('<yml_catalog><shop><offers><offer id="1"></shop>'))).rejects.toThrow(FeedParseError);
    await expect(collect(Buffer.alloc(0))).rejects.toThrow(/The XML document is empty/);
    expect(await collect(Buffer.from('<yml_catalog><shop><offers/></shop></yml_catalog>'))).toEqual([]);
  });

  it('refuses entity declarations', async () => {
    const xml = '<!DOCTYPE yml_catalog [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><yml_catalog><shop><offers><offer id="1"><name>&b;</name></offer></offers></shop></yml_catalog>';
    await expect(collect(Buffer.from(xml))).rejects.toThrow(/DOCTYPE declares entities/);
  });

  it('yields duplicate offer ids as they come', async () => {
    const xml = '<yml_catalog><shop><offers><offer id="1"><name>a</name></offer><offer id="1"><name>b</name></offer></offers></shop></yml_catalog>';
    expect((await collect(Buffer.from(xml))).map((item) => item.ok && item.record.name)).toEqual(['a', 'b']);
  });

  it('streams 200k generated offers', { timeout: 120_000 }, async () => {
    const total = 200_000;
    async function* generate(): AsyncGenerator<Buffer> {
      yield Buffer.from('<?xml version="1.0" encoding="UTF-8"?><yml_catalog><shop><categories><category id="1">All</category></categories><offers>\n');
      for (let start = 0; start < total; start += 1_000) {
        let offers = '';
        for (let i = start; i < start + 1_000; i++) {
          offers += `<offer id="o${i}" available="true"><name>Товар ${i}</name><price>${i % 5000}.50</price><currencyId>RUB</currencyId><categoryId>1</categoryId><param name="n">${i}</param></offer>\n`;
        }
        yield Buffer.from(offers);
      }
      yield Buffer.from('</offers></shop></yml_catalog>');
    }
    let count = 0;
    let valid = 0;
    for await (const item of parseYml(Readable.from(generate()))) {
      count++;
      if (item.ok) valid++;
    }
    expect(count).toBe(total);
    expect(valid).toBe(total);
  });
});

import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ParsedItem } from './feed-record.js';
import { parseGoogleMerchant } from './parse-google-merchant.js';

async function collect(text: string): Promise<ParsedItem[]> {
  const out: ParsedItem[] = [];
  for await (const item of parseGoogleMerchant(Readable.from([Buffer.from(text)]))) out.push(item);
  return out;
}

const RSS = `<?xml version="1.0"?>
<rss xmlns:g="http://base.google.com/ns/1.0" version="2.0">
  <channel>
    <title>Example store</title>
    <link>https://shop.example</link>
    <item>
      <g:id>TV-42</g:id>
      <title>42" TV</title>
      <description>Flat &amp; bright</description>
      <link>https://shop.example/tv-42</link>
      <g:price>499.99 USD</g:price>
      <g:sale_price>449.00 USD</g:sale_price>
      <g:availability>preorder</g:availability>
      <g:image_link>https://cdn.example/tv.jpg</g:image_link>
      <g:additional_image_link>https://cdn.example/tv-2.jpg</g:additional_image_link>
      <g:additional_image_link>https://cdn.example/tv-3.jpg</g:additional_image_link>
      <g:brand>Acme</g:brand>
      <g:gtin>00012345678905</g:gtin>
      <g:google_product_category>Electronics &gt; Video &gt; Televisions</g:google_product_category>
      <g:product_type>TV &gt; LCD</g:product_type>
      <g:condition>new</g:condition>
      <g:shipping><g:country>US</g:country><g:price>0 USD</g:price></g:shipping>
    </item>
    <item>
      <g:id>X-1</g:id>
      <g:title>Out of stock thing</g:title>
      <g:link>https://shop.example/x-1</g:link>
      <g:price>abc</g:price>
      <g:availability>out of stock</g:availability>
    </item>
  </channel>
</rss>`;

describe('parseGoogleMerchant', () => {
  it('parses RSS 2.0 items with g: fields, sale price and extra g: attributes', async () => {
    const [tv, broken] = await collect(RSS);
    expect(tv).toEqual({
      ok: true,
      position: { line: 6, record: 1, path: 'rss/channel/item' },
      record: {
        externalId: 'TV-42',
        name: '42" TV',
        description: 'Flat & bright',
        url: 'https://shop.example/tv-42',
        price: '449.00',
        oldPrice: '499.99',
        currency: 'USD',
        available: true,
        images: ['https://cdn.example/tv.jpg', 'https://cdn.example/tv-2.jpg', 'https://cdn.example/tv-3.jpg'],
        vendor: 'Acme',
        barcode: '00012345678905',
        category: 'TV > LCD',
        attributes: {
          availability: 'preorder',
          google_product_category: 'Electronics > Video > Televisions',
          condition: 'new',
          'shipping.country': 'US',
          'shipping.price': '0 USD',
        },
      },
    });
    expect(broken).toEqual({
      ok: false,
      externalId: 'X-1',
      position: { line: 24, record: 2, path: 'rss/channel/item' },
      reason: 'price "abc" is not a decimal number',
    });
  });

  it('parses Atom entries and matches g: by namespace, not prefix', async () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:google="http://base.google.com/ns/1.0">
  <title>Store</title>
  <entry>
    <google:id>A-1</google:id>
    <title>Lamp</title>
    <summary>Warm light</summary>
    <link rel="self" href="https://shop.example/feed/a-1"/>
    <link href="https://shop.example/a-1"/>
    <google:price>19.90 EUR</google:price>
    <google:availability>in stock</google:availability>
    <google:color>white</google:color>
  </entry>
</feed>`;
    expect(await collect(atom)).toEqual([
      {
        ok: true,
        position: { line: 3, record: 1, path: 'feed/entry' },
        record: {
          externalId: 'A-1',
          name: 'Lamp',
          description: 'Warm light',
          url: 'https://shop.example/a-1',
          price: '19.90',
          currency: 'EUR',
          available: true,
          images: [],
          attributes: { availability: 'in stock', color: 'white' },
        },
      },
    ]);
  });

  it('ignores g-looking elements in another namespace', async () => {
    const rss = '<rss xmlns:g="http://example.com/not-google"><channel><item><g:id>1</g:id><title>t</title></item></channel></rss>';
    expect(await collect(rss)).toMatchObject([{ ok: false, reason: 'externalId is required' }]);
  });

  it('refuses documents that are not RSS or Atom, and unbound prefixes', async () => {
    await expect(collect('<yml_catalog/>')).rejects.toThrow(/Not a Google Merchant feed: the root element is <yml_catalog>/);
    await expect(collect('<rss><channel><item><g:id>1</g:id></item></channel></rss>')).rejects.toThrow(/Malformed XML: unbound namespace prefix/);
  });
});

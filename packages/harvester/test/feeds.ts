// Supplier feeds built at test time, one generator per format.
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';

export interface SampleProduct {
  id: string;
  name: string;
  price: string;
  vendor?: string;
}

export function sampleProducts(count: number, options: { prefix?: string; priceBump?: (i: number) => number } = {}): SampleProduct[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${options.prefix ?? 'sku'}-${i + 1}`,
    name: `Tent model ${i + 1}`,
    price: (100 + i + (options.priceBump?.(i) ?? 0)).toFixed(2),
    vendor: i % 2 === 0 ? 'Nordic' : 'Alpine',
  }));
}

const xmlEscape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function csvFeed(products: SampleProduct[], extraLines: string[] = []): string {
  const lines = products.map((p) => `${p.id};"${p.name.replace(/"/g, '""')}";${p.price};EUR;${p.vendor ?? ''}`);
  return ['sku;name;price;currency;brand', ...lines, ...extraLines].join('\n') + '\n';
}

export function jsonFeed(products: SampleProduct[]): string {
  return JSON.stringify({ products: products.map((p) => ({ id: p.id, title: p.name, price: p.price, currency: 'EUR', brand: p.vendor })) });
}

export function jsonLinesFeed(products: SampleProduct[]): string {
  return products.map((p) => JSON.stringify({ sku: p.id, name: p.name, price: p.price, currency: 'EUR' })).join('\n') + '\n';
}

export function xmlFeed(products: SampleProduct[]): string {
  const items = products.map((p) => `<product code="${xmlEscape(p.id)}"><title>${xmlEscape(p.name)}</title><cost>${p.price}</cost><cur>EUR</cur></product>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<catalog>${items.join('')}</catalog>\n`;
}

export function ymlFeed(products: SampleProduct[], encoding: 'utf-8' | 'windows-1251' = 'utf-8'): Buffer {
  const offers = products.map(
    (p) =>
      `<offer id="${xmlEscape(p.id)}" available="true"><name>${xmlEscape(p.name)}</name><price>${p.price}</price>` +
      `<currencyId>RUB</currencyId><categoryId>2</categoryId><vendor>${xmlEscape(p.vendor ?? '')}</vendor>` +
      `<param name="Вес" unit="кг">2.4</param></offer>`,
  );
  const text =
    `<?xml version="1.0" encoding="${encoding}"?>\n<yml_catalog date="2026-11-26 10:00"><shop><name>Турист</name>` +
    `<currencies><currency id="RUB" rate="1"/></currencies>` +
    `<categories><category id="1">Туризм</category><category id="2" parentId="1">Палатки</category></categories>` +
    `<offers>${offers.join('')}</offers></shop></yml_catalog>\n`;
  return encoding === 'utf-8' ? Buffer.from(text) : iconv.encode(text, 'windows-1251');
}

export function googleMerchantFeed(products: SampleProduct[]): string {
  const items = products.map(
    (p) =>
      `<item><g:id>${xmlEscape(p.id)}</g:id><title>${xmlEscape(p.name)}</title><link>https://shop.example/p/${xmlEscape(p.id)}</link>` +
      `<g:price>${p.price} USD</g:price><g:availability>in stock</g:availability><g:brand>${xmlEscape(p.vendor ?? '')}</g:brand></item>`,
  );
  return `<?xml version="1.0"?>\n<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel><title>Shop</title>${items.join('')}</channel></rss>\n`;
}

export const gzip = (body: string | Buffer): Buffer => gzipSync(body);

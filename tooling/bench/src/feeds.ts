// Deterministic supplier feeds: product i always has the same fields, so two
// runs (and the SQL floor's CSV) hold exactly the same catalogue.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

export type FeedFormat = 'csv' | 'yml';

export interface FeedSpec {
  format: FeedFormat;
  products: number;
  /** Every `changedEvery`-th product gets another price (100 = 1% changed); 0 = none. */
  changedEvery?: number;
}

export interface GeneratedProduct {
  sku: string;
  name: string;
  price: string;
  currency: string;
  brand: string;
  category: string;
}

export function product(i: number, changedEvery = 0): GeneratedProduct {
  const changed = changedEvery > 0 && i % changedEvery === 0;
  return {
    sku: `sku-${i}`,
    name: `Tent model ${i}`,
    price: `${(i % 997) + (changed ? 11 : 10)}.50`,
    currency: 'EUR',
    brand: `Brand ${i % 50}`,
    category: 'Camping > Tents',
  };
}

export const CSV_HEADER = 'sku;name;price;currency;brand;category\n';

export function csvRow(p: GeneratedProduct): string {
  return `${p.sku};${p.name};${p.price};${p.currency};${p.brand};${p.category}\n`;
}

export const YML_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<yml_catalog date="2026-11-26 10:00"><shop><name>Bench</name><currencies><currency id="EUR" rate="1"/></currencies>' +
  '<categories><category id="1">Camping</category><category id="2" parentId="1">Tents</category></categories><offers>\n';
export const YML_TAIL = '</offers></shop></yml_catalog>\n';

export function ymlOffer(p: GeneratedProduct): string {
  return `<offer id="${p.sku}" available="true"><name>${p.name}</name><price>${p.price}</price><currencyId>${p.currency}</currencyId><categoryId>2</categoryId><vendor>${p.brand}</vendor></offer>\n`;
}

/** The feed as chunks of text, a thousand products per chunk. */
export function* feedChunks(spec: FeedSpec): Generator<string> {
  const row = spec.format === 'csv' ? csvRow : ymlOffer;
  yield spec.format === 'csv' ? CSV_HEADER : YML_HEAD;
  let chunk = '';
  for (let i = 1; i <= spec.products; i++) {
    chunk += row(product(i, spec.changedEvery));
    if (i % 1000 === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
  if (spec.format === 'yml') yield YML_TAIL;
}

export async function writeFeed(path: string, spec: FeedSpec): Promise<void> {
  const out = createWriteStream(path);
  for (const chunk of feedChunks(spec)) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

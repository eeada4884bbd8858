import { decodeFeed } from './decode.js';
import type { DecodeOptions } from './decode.js';
import { FeedParseError } from './errors.js';
import { addDraftAttribute, emptyDraft } from './feed-record.js';
import type { ParsedItem, RecordDraft } from './feed-record.js';
import { splitImageList } from './map-fields.js';
import { validateRecord } from './validate-record.js';
import { nodeText, walkXml } from './xml-walker.js';
import type { XmlNode } from './xml-walker.js';

export interface GoogleMerchantOptions extends DecodeOptions {
  maxRecordChars?: number;
}

export const GOOGLE_NS = 'http://base.google.com/ns/1.0';
const ATOM_NS = 'http://www.w3.org/2005/Atom';
const RSS_ITEM = 'rss/channel/item';
const ATOM_ENTRY = 'feed/entry';

// g: elements turned into record fields; every other g: element becomes an attribute.
const CONSUMED = new Set(['id', 'title', 'description', 'link', 'price', 'sale_price', 'availability', 'image_link',
  'additional_image_link', 'brand', 'gtin', 'product_type']);

/** An RSS element (no namespace) or an Atom one; elements of other vocabularies are not fields. */
function isPlain(node: XmlNode): boolean {
  return node.uri === undefined || node.uri === '' || node.uri === ATOM_NS;
}

function googleChildren(item: XmlNode, local: string): XmlNode[] {
  return item.children.filter((child) => child.uri === GOOGLE_NS && child.local === local);
}

/** The g: element's text, else the plain RSS/Atom element of the same name. */
function value(item: XmlNode, local: string, plain = local): string | undefined {
  const google = nodeText(googleChildren(item, local)[0]);
  if (google !== '') return google;
  const own = nodeText(item.children.find((child) => isPlain(child) && child.local === plain));
  return own === '' ? undefined : own;
}

function itemLink(item: XmlNode): string | undefined {
  const text = value(item, 'link');
  if (text !== undefined) return text;
  // Atom: <link rel="alternate" href="..."/>; a link without rel is alternate too.
  const links = item.children.filter((child) => isPlain(child) && child.local === 'link');
  const alternate = links.find((link) => (link.attributes['rel'] ?? 'alternate') === 'alternate');
  return alternate?.attributes['href'];
}

function itemToDraft(item: XmlNode): RecordDraft {
  const draft = emptyDraft();
  const assign = <K extends keyof RecordDraft>(key: K, text: RecordDraft[K] | undefined): void => {
    if (text !== undefined) draft[key] = text;
  };
  assign('externalId', value(item, 'id'));
  assign('name', value(item, 'title'));
  assign('description', value(item, 'description') ?? value(item, 'summary') ?? value(item, 'content'));
  assign('url', itemLink(item));
  // "19.99 USD": the price validator splits amount and currency.
  const price = value(item, 'price');
  const salePrice = value(item, 'sale_price');
  assign('price', salePrice ?? price);
  assign('oldPrice', salePrice === undefined ? undefined : price);
  const availability = value(item, 'availability');
  assign('available', availability);
  // preorder and backorder count as available; the attribute keeps the difference.
  if (availability !== undefined) addDraftAttribute(draft, 'availability', availability);
  assign('vendor', value(item, 'brand'));
  assign('barcode', value(item, 'gtin'));
  assign('category', value(item, 'product_type'));
  draft.images = [...googleChildren(item, 'image_link'), ...googleChildren(item, 'additional_image_link')]
    .flatMap((node) => splitImageList(nodeText(node)));

  for (const child of item.children) {
    if (child.uri !== GOOGLE_NS || CONSUMED.has(child.local)) continue;
    if (child.children.length === 0) addDraftAttribute(draft, child.local, nodeText(child));
    // Structured values such as <g:shipping><g:country>US</g:country>...: one attribute per part.
    for (const part of child.children) addDraftAttribute(draft, `${child.local}.${part.local}`, nodeText(part));
  }
  return draft;
}

/**
 * Streams a Google Merchant Center feed: RSS 2.0 (`rss/channel/item`) or Atom
 * (`feed/entry`) with the `g:` namespace, matched by namespace URI, not by prefix.
 * `g:sale_price`, when present, is the price and `g:price` the old price.
 */
export async function* parseGoogleMerchant(input: AsyncIterable<unknown>, options: GoogleMerchantOptions = {}): AsyncGenerator<ParsedItem> {
  for await (const items of parseGoogleMerchantBatches(input, options)) for (const item of items) yield item;
}

/** `parseGoogleMerchant`, a batch of items per chunk of the document. */
export async function* parseGoogleMerchantBatches(input: AsyncIterable<unknown>, options: GoogleMerchantOptions = {}): AsyncGenerator<ParsedItem[]> {
  const text = decodeFeed(input, options);
  const elements = walkXml(text, {
    paths: [RSS_ITEM, ATOM_ENTRY],
    xmlns: true,
    ...(options.maxRecordChars === undefined ? {} : { maxRecordChars: options.maxRecordChars }),
    onRoot: (local) => {
      if (local !== 'rss' && local !== 'feed') {
        const message = `Not a Google Merchant feed: the root element is <${local}>, expected <rss> or <feed>`;
        throw new FeedParseError(message, { position: { line: 1 } });
      }
    },
  });
  let record = 0;
  for await (const batch of elements) {
    const items: ParsedItem[] = [];
    for (const { path, node, oversized } of batch) {
      record++;
      const position = { line: node.line, record, path };
      if (oversized) {
        items.push({ ok: false, reason: 'is larger than the record size limit and was not parsed', position });
        continue;
      }
      items.push(validateRecord(itemToDraft(node), position));
    }
    if (items.length > 0) yield items;
  }
}

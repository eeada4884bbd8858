import { decodeFeed } from './decode.js';
import type { DecodeOptions } from './decode.js';
import { FeedParseError } from './errors.js';
import { emptyDraft } from './feed-record.js';
import type { ParsedItem, RecordDraft } from './feed-record.js';
import { validateRecord } from './validate-record.js';
import { nodeText, walkXml } from './xml-walker.js';
import type { XmlNode } from './xml-walker.js';

/** The encoding usually comes from `<?xml encoding="windows-1251"?>`; `encoding` overrides it. */
export interface YmlOptions extends DecodeOptions {
  maxRecordChars?: number;
}

const SHOP = 'yml_catalog/shop';
const OFFER_PATH = `${SHOP}/offers/offer`;
const CATEGORY_PATH = `${SHOP}/categories/category`;
const CURRENCY_PATH = `${SHOP}/currencies/currency`;

// Offer children turned into record fields; every other leaf child becomes an attribute.
const CONSUMED = new Set(['name', 'url', 'price', 'oldprice', 'currencyId', 'categoryId', 'picture', 'vendor', 'barcode',
  'description', 'param', 'count', 'quantity', 'stock_quantity', 'outlets', 'model', 'typePrefix']);
const STOCK_ELEMENTS = ['count', 'quantity', 'stock_quantity'];

/** The category tree, filled from `<categories>` before the offers arrive (as YML requires). */
class CategoryTree {
  private readonly nodes = new Map<string, { name: string; parentId: string | undefined }>();
  private readonly paths = new Map<string, string>();

  add(node: XmlNode): void {
    const id = node.attributes['id']?.trim();
    if (id === undefined || id === '') return;
    const parentId = node.attributes['parentId']?.trim();
    this.nodes.set(id, { name: nodeText(node), parentId: parentId === '' ? undefined : parentId });
    this.paths.clear();
  }

  /** "Root > Child > Leaf"; stops at a missing parent or a cycle instead of looping. */
  path(id: string): string | undefined {
    const known = this.paths.get(id);
    if (known !== undefined) return known;
    const names: string[] = [];
    const visited = new Set<string>();
    for (let current: string | undefined = id; current !== undefined && !visited.has(current); ) {
      visited.add(current);
      const node = this.nodes.get(current);
      if (node === undefined) break;
      names.unshift(node.name);
      current = node.parentId;
    }
    if (names.length === 0) return undefined;
    const path = names.join(' > ');
    this.paths.set(id, path);
    return path;
  }
}

function children(offer: XmlNode, local: string): XmlNode[] {
  return offer.children.filter((child) => child.local === local);
}

/** Text of the first child with this local name, or undefined when it is absent or empty. */
function first(offer: XmlNode, local: string): string | undefined {
  // A scan without allocation: offers have a handful of children and this runs a dozen times per offer.
  for (const child of offer.children) {
    if (child.local !== local) continue;
    const value = nodeText(child);
    return value === '' ? undefined : value;
  }
  return undefined;
}

function offerStock(offer: XmlNode): string | undefined {
  for (const local of STOCK_ELEMENTS) {
    const value = first(offer, local);
    if (value !== undefined) return value;
  }
  // <outlets><outlet id="1" instock="5"/></outlets>: the sum over outlets.
  const outlets = children(offer, 'outlets').flatMap((outlets) => children(outlets, 'outlet'));
  const counts = outlets.map((outlet) => outlet.attributes['instock']).filter((v): v is string => v !== undefined);
  if (counts.length === 0 || counts.some((count) => !/^\d+$/.test(count.trim()))) return counts[0];
  return String(counts.reduce((sum, count) => sum + Number.parseInt(count, 10), 0));
}

function offerName(offer: XmlNode): string | undefined {
  const name = first(offer, 'name');
  if (name !== undefined) return name;
  // type="vendor.model": the name is composed from typePrefix, vendor and model.
  const parts = [first(offer, 'typePrefix'), first(offer, 'vendor'), first(offer, 'model')].filter((p) => p !== undefined);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function addAttribute(draft: RecordDraft, name: string, value: string): void {
  if (value === '') return;
  const previous = draft.attributes[name];
  draft.attributes[name] = previous === undefined ? value : `${previous}, ${value}`;
}

/** Turns one `<offer>` into a draft, resolving its category against the tree read so far. */
function offerToDraft(offer: XmlNode, categories: CategoryTree, baseCurrency: string | undefined): RecordDraft {
  const draft = emptyDraft();
  const assign = <K extends keyof RecordDraft>(key: K, value: RecordDraft[K] | undefined): void => {
    if (value !== undefined) draft[key] = value;
  };
  assign('externalId', offer.attributes['id']);
  assign('available', offer.attributes['available']);
  assign('name', offerName(offer));
  assign('url', first(offer, 'url'));
  assign('price', first(offer, 'price'));
  assign('oldPrice', first(offer, 'oldprice'));
  assign('currency', first(offer, 'currencyId') ?? baseCurrency);
  assign('vendor', first(offer, 'vendor'));
  assign('description', first(offer, 'description'));
  assign('stock', offerStock(offer));
  const categoryId = first(offer, 'categoryId');
  assign('categoryId', categoryId);
  assign('category', categoryId === undefined ? undefined : categories.path(categoryId));
  draft.images = children(offer, 'picture').map(nodeText).filter((url) => url !== '');
  const [barcode, ...moreBarcodes] = children(offer, 'barcode').map(nodeText);
  assign('barcode', barcode);
  for (const extra of moreBarcodes) addAttribute(draft, 'barcode', extra);

  for (const [name, value] of Object.entries(offer.attributes)) {
    if (name !== 'id' && name !== 'available') addAttribute(draft, name, value.trim());
  }
  for (const param of children(offer, 'param')) {
    const name = param.attributes['name']?.trim();
    const unit = param.attributes['unit']?.trim();
    const value = nodeText(param);
    if (name !== undefined && name !== '') addAttribute(draft, name, unit ? `${value} ${unit}` : value);
  }
  for (const child of offer.children) {
    if (child.children.length > 0 || CONSUMED.has(child.local)) continue;
    addAttribute(draft, child.local, nodeText(child));
  }
  // With a name given, model is an attribute of its own; without one it is part of the name.
  if (first(offer, 'name') !== undefined) addAttribute(draft, 'model', first(offer, 'model') ?? '');
  return draft;
}

/**
 * Streams a Yandex Market Language feed (`yml_catalog/shop`). Categories and
 * currencies are read first (they precede `<offers>` in YML), then each offer is
 * yielded with its category resolved to the full "A > B > C" path.
 */
export async function* parseYml(input: AsyncIterable<unknown>, options: YmlOptions = {}): AsyncGenerator<ParsedItem> {
  for await (const items of parseYmlBatches(input, options)) yield* items;
}

/** `parseYml`, a batch of items per chunk of the document. */
export async function* parseYmlBatches(input: AsyncIterable<unknown>, options: YmlOptions = {}): AsyncGenerator<ParsedItem[]> {
  const categories = new CategoryTree();
  const rates = new Map<string, string>();
  const text = decodeFeed(input, options);
  const elements = walkXml(text, {
    paths: [OFFER_PATH, CATEGORY_PATH, CURRENCY_PATH],
    ...(options.maxRecordChars === undefined ? {} : { maxRecordChars: options.maxRecordChars }),
    onRoot: (local) => {
      if (local !== 'yml_catalog') {
        throw new FeedParseError(`Not a YML feed: the root element is <${local}>, expected <yml_catalog>`, { position: { line: 1 } });
      }
    },
  });
  let baseCurrency: string | undefined;
  let record = 0;
  for await (const batch of elements) {
    const items: ParsedItem[] = [];
    for (const { path, node, oversized } of batch) {
      if (path === CATEGORY_PATH) {
        categories.add(node);
        continue;
      }
      if (path === CURRENCY_PATH) {
        const id = node.attributes['id']?.trim();
        if (id) rates.set(id, node.attributes['rate']?.trim() ?? '');
        // The shop's own currency is the one at rate 1; offers without currencyId are priced in it.
        const base = [...rates].filter(([, rate]) => rate === '1' || rate === '1.0');
        baseCurrency = base.length === 1 ? base[0]?.[0] : undefined;
        continue;
      }
      record++;
      const position = { line: node.line, record, path: OFFER_PATH };
      if (oversized) {
        const externalId = node.attributes['id']?.slice(0, 255);
        const reason = 'is larger than the record size limit and was not parsed';
        items.push({ ok: false, reason, position, ...(externalId ? { externalId } : {}) });
        continue;
      }
      items.push(validateRecord(offerToDraft(node, categories, baseCurrency), position));
    }
    if (items.length > 0) yield items;
  }
}

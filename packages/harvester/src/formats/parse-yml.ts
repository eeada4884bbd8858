import { decodeFeed } from './decode.js';
import type { DecodeOptions } from './decode.js';
import { FeedParseError } from './errors.js';
import { addDraftAttribute, DEFAULT_MAX_RECORD_CHARS, emptyDraft, PARSER_VERSION, readRow } from './feed-record.js';
import type { FeedRow, ParsedItem, RecordDraft } from './feed-record.js';
import { validateRecord } from './validate-record.js';
import { Fingerprint } from './fingerprint.js';
import { readSimpleAttributes, readSimpleElement } from './simple-element.js';
import { XmlElementSplitter } from './xml-element-splitter.js';
import { addNode, nodeText, XmlWalker } from './xml-walker.js';
import type { CapturedElement, XmlNode } from './xml-walker.js';

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

/** The category tree, filled from `<categories>` before the offers arrive (as YML requires). */
class CategoryTree {
  private readonly nodes: Map<string, { name: string; parentId: string | undefined }>;
  private readonly paths = new Map<string, string>();

  constructor(from?: CategoryTree) {
    this.nodes = new Map(from?.nodes);
  }

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

/** Trimmed text of a child, or undefined when it is absent or empty. */
function textOf(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  const value = nodeText(node);
  return value === '' ? undefined : value;
}

/**
 * The first child of each element read as a field, and which of the rarer children
 * occur at all: one pass over the children instead of a scan per field.
 */
interface OfferChildren {
  name: XmlNode | undefined;
  url: XmlNode | undefined;
  price: XmlNode | undefined;
  oldprice: XmlNode | undefined;
  currencyId: XmlNode | undefined;
  categoryId: XmlNode | undefined;
  vendor: XmlNode | undefined;
  description: XmlNode | undefined;
  count: XmlNode | undefined;
  quantity: XmlNode | undefined;
  stock_quantity: XmlNode | undefined;
  model: XmlNode | undefined;
  typePrefix: XmlNode | undefined;
  /** Pictures, barcodes, params or outlets are present. */
  lists: boolean;
  /** A leaf child that is not a field, so it becomes an attribute. */
  extras: boolean;
}

function readChildren(offer: XmlNode): OfferChildren {
  const found: OfferChildren = {
    name: undefined, url: undefined, price: undefined, oldprice: undefined, currencyId: undefined, categoryId: undefined,
    vendor: undefined, description: undefined, count: undefined, quantity: undefined, stock_quantity: undefined,
    model: undefined, typePrefix: undefined, lists: false, extras: false,
  };
  for (const child of offer.children) {
    switch (child.local) {
      case 'name': found.name ??= child; break;
      case 'url': found.url ??= child; break;
      case 'price': found.price ??= child; break;
      case 'oldprice': found.oldprice ??= child; break;
      case 'currencyId': found.currencyId ??= child; break;
      case 'categoryId': found.categoryId ??= child; break;
      case 'vendor': found.vendor ??= child; break;
      case 'description': found.description ??= child; break;
      case 'count': found.count ??= child; break;
      case 'quantity': found.quantity ??= child; break;
      case 'stock_quantity': found.stock_quantity ??= child; break;
      case 'model': found.model ??= child; break;
      case 'typePrefix': found.typePrefix ??= child; break;
      case 'picture': case 'barcode': case 'param': case 'outlets': found.lists = true; break;
      default: if (child.children.length === 0) found.extras = true;
    }
  }
  return found;
}

function offerStock(offer: XmlNode, found: OfferChildren): string | undefined {
  const stock = textOf(found.count) ?? textOf(found.quantity) ?? textOf(found.stock_quantity);
  if (stock !== undefined || !found.lists) return stock;
  // <outlets><outlet id="1" instock="5"/></outlets>: the sum over outlets.
  const outlets = children(offer, 'outlets').flatMap((outlets) => children(outlets, 'outlet'));
  const counts = outlets.map((outlet) => outlet.attributes['instock']).filter((v): v is string => v !== undefined);
  if (counts.length === 0 || counts.some((count) => !/^\d+$/.test(count.trim()))) return counts[0];
  return String(counts.reduce((sum, count) => sum + Number.parseInt(count, 10), 0));
}

function offerName(found: OfferChildren, name: string | undefined): string | undefined {
  if (name !== undefined) return name;
  // type="vendor.model": the name is composed from typePrefix, vendor and model.
  const parts = [textOf(found.typePrefix), textOf(found.vendor), textOf(found.model)].filter((p) => p !== undefined);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** Pictures, barcodes and params: most offers have none, so this runs only when one is present. */
function addLists(draft: RecordDraft, offer: XmlNode): void {
  draft.images = children(offer, 'picture').map(nodeText).filter((url) => url !== '');
  const [barcode, ...moreBarcodes] = children(offer, 'barcode').map(nodeText);
  if (barcode !== undefined) draft.barcode = barcode;
  for (const extra of moreBarcodes) addDraftAttribute(draft, 'barcode', extra);
}

function addParams(draft: RecordDraft, offer: XmlNode): void {
  for (const param of children(offer, 'param')) {
    const name = param.attributes['name']?.trim();
    const unit = param.attributes['unit']?.trim();
    const value = nodeText(param);
    if (name !== undefined && name !== '') addDraftAttribute(draft, name, unit ? `${value} ${unit}` : value);
  }
}

/** Turns one `<offer>` into a draft; `category` is the path of its first `categoryId` in the tree read so far. */
function offerToDraft(offer: XmlNode, category: string | undefined, baseCurrency: string | undefined): RecordDraft {
  const found = readChildren(offer);
  const draft = emptyDraft();
  const id = offer.attributes['id'];
  if (id !== undefined) draft.externalId = id;
  const available = offer.attributes['available'];
  if (available !== undefined) draft.available = available;
  const ownName = textOf(found.name);
  const name = offerName(found, ownName);
  if (name !== undefined) draft.name = name;
  const url = textOf(found.url);
  if (url !== undefined) draft.url = url;
  const price = textOf(found.price);
  if (price !== undefined) draft.price = price;
  const oldPrice = textOf(found.oldprice);
  if (oldPrice !== undefined) draft.oldPrice = oldPrice;
  const currency = textOf(found.currencyId) ?? baseCurrency;
  if (currency !== undefined) draft.currency = currency;
  const vendor = textOf(found.vendor);
  if (vendor !== undefined) draft.vendor = vendor;
  const description = textOf(found.description);
  if (description !== undefined) draft.description = description;
  const stock = offerStock(offer, found);
  if (stock !== undefined) draft.stock = stock;
  const categoryId = textOf(found.categoryId);
  if (categoryId !== undefined) {
    draft.categoryId = categoryId;
    if (category !== undefined) draft.category = category;
  }
  if (found.lists) addLists(draft, offer);

  const attributes = offer.attributes;
  for (const key in attributes) {
    if (key !== 'id' && key !== 'available') addDraftAttribute(draft, key, (attributes[key] as string).trim());
  }
  if (found.lists) addParams(draft, offer);
  if (found.extras) {
    for (const child of offer.children) {
      if (child.children.length > 0 || CONSUMED.has(child.local)) continue;
      addDraftAttribute(draft, child.local, nodeText(child));
    }
  }
  // With a name given, model is an attribute of its own; without one it is part of the name.
  if (ownName !== undefined) addDraftAttribute(draft, 'model', textOf(found.model) ?? '');
  return draft;
}

/**
 * Streams a Yandex Market Language feed (`yml_catalog/shop`). Categories and
 * currencies are read first (they precede `<offers>` in YML), then each offer is
 * yielded with its category resolved to the full "A > B > C" path.
 */
export async function* parseYml(input: AsyncIterable<unknown>, options: YmlOptions = {}): AsyncGenerator<ParsedItem> {
  for await (const items of parseYmlBatches(input, options)) for (const item of items) yield item;
}

/**
 * `parseYml`, a batch of items per chunk of the document. An offer that turns out malformed when read
 * fails the document after the items before it.
 */
export async function* parseYmlBatches(input: AsyncIterable<unknown>, options: YmlOptions = {}): AsyncGenerator<ParsedItem[]> {
  for await (const rows of parseYmlRowBatches(input, options)) {
    const items: ParsedItem[] = [];
    try {
      for (const row of rows) items.push(row.read());
    } catch (error) {
      if (items.length > 0) yield items;
      throw error;
    }
    yield items;
  }
}

/**
 * Parses an offer's raw text: with `readSimpleElement` when it keeps to simple XML, otherwise with saxes
 * as the one element of a document of its own, closed after it so that anything left open (an "&" that
 * never ends, say) is reported with the offer. An offer's text parses the same there as in the feed: YML
 * declares no namespaces and entities are never declared.
 */
function readOffer(text: string, line: number, maxRecordChars: number | undefined): XmlNode {
  const simple = readSimpleElement(text, line);
  if (simple !== undefined) return simple;
  const walker = new XmlWalker({ paths: ['offers/offer'], ...(maxRecordChars === undefined ? {} : { maxRecordChars }) });
  const captured = [...walker.write(`<offers>${text}`), ...walker.write('</offers>'), ...walker.close()];
  walker.check(line - 1);
  const [offer] = captured;
  if (offer === undefined || captured.length > 1) {
    throw new FeedParseError('Malformed XML: the offer is not one complete element', { position: { line } });
  }
  return offer.node;
}

/**
 * The offer's `id` attribute from its start tag alone, as the parser reads it; `known` is false when the
 * tag is not simple enough to read without the parser (then it is the raw value, if any).
 */
function startTagId(startTag: string): { value: string | undefined; known: boolean } {
  // Most offers start `<offer id="...">`: the value needs no parsing when it has no entity or control character.
  if (startTag.startsWith('<offer id="')) {
    const close = startTag.indexOf('"', 11);
    const rest = startTag.charCodeAt(close + 1);
    if (close !== -1 && (rest === 0x3e || rest === 0x20 || rest === 0x2f)) {
      const value = startTag.slice(11, close);
      if (isPlain(value)) return { value, known: true };
    }
  }
  const attributes = readSimpleAttributes(startTag) ?? parsedAttributes(startTag);
  if (attributes !== undefined) return { value: attributes['id'], known: true };
  const raw = /\sid\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(startTag);
  return { value: raw?.[1] ?? raw?.[2], known: false };
}

/** The start tag's attributes as saxes reads them, for the rare tag that is not simple; undefined when malformed. */
function parsedAttributes(startTag: string): Readonly<Record<string, string>> | undefined {
  const name = /^<([^\s/>]+)/.exec(startTag)?.[1] ?? 'offer';
  try {
    return readOffer(startTag.endsWith('/>') ? startTag : `${startTag}</${name}>`, 1, undefined).attributes;
  } catch {
    return undefined;
  }
}

/** No entity reference or control character: the text is the value the parser reads. */
function isPlain(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x26 || c === 0x3c || (c >= 0xd800 && (c <= 0xdfff || c >= 0xfffe))) return false;
  }
  return true;
}

/** Line breaks as XML counts them: "\r\n", "\r" or "\n". */
function lineBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  for (let at = text.indexOf('\r'); at !== -1; at = text.indexOf('\r', at + 1)) if (text.charCodeAt(at + 1) !== 0x0a) count++;
  return count;
}

/** For tests: `split: false` leaves every offer in the document, to be parsed with it (rows never recognized). */
export interface YmlInternals {
  split?: boolean;
}

const OVERSIZED = 'is larger than the record size limit and was not parsed';

/**
 * `parseYmlBatches` as rows that are turned into records only when read. Offers are cut out of the text
 * unparsed (`XmlElementSplitter`); the rest of the document (categories, currencies, structure) goes
 * through the XML parser, and an offer is parsed only when its row is read. A row's fingerprint covers
 * the options, the offer's raw text and everything it takes from the rest of the document: the
 * categories and currencies read before it. An offer's category path is the tree as it stood there.
 */
export async function* parseYmlRowBatches(input: AsyncIterable<unknown>, options: YmlOptions = {}, internals: YmlInternals = {}): AsyncGenerator<FeedRow[]> {
  const maxRecordChars = options.maxRecordChars;
  const walker = new XmlWalker({
    paths: [OFFER_PATH, CATEGORY_PATH, CURRENCY_PATH],
    ...(maxRecordChars === undefined ? {} : { maxRecordChars }),
    onRoot: (local) => {
      if (local !== 'yml_catalog') {
        throw new FeedParseError(`Not a YML feed: the root element is <${local}>, expected <yml_catalog>`, { position: { line: 1 } });
      }
    },
  });
  let categories = new CategoryTree();
  let categoriesShared = false; // a row holds the tree: a later category goes into a copy
  const rates = new Map<string, string>();
  let baseCurrency: string | undefined;
  // Categories and currencies read so far, hashed into every offer's fingerprint.
  const context = new Fingerprint();
  let contextDigest = context.digest();
  const fingerprint = new Fingerprint(JSON.stringify([PARSER_VERSION, 'yml offer text', options]));
  let record = 0;
  let rows: FeedRow[] = [];

  const categoryOf = (tree: CategoryTree, offer: XmlNode): string | undefined => {
    const categoryId = textOf(offer.children.find((child) => child.local === 'categoryId'));
    return categoryId === undefined ? undefined : tree.path(categoryId);
  };

  const addContext = (node: XmlNode): void => {
    addNode(context, node).mark(9);
    contextDigest = context.digest();
  };

  const take = (elements: CapturedElement[]): void => {
    for (const { path, node, oversized } of elements) {
      if (path === CATEGORY_PATH) {
        if (categoriesShared) {
          categories = new CategoryTree(categories);
          categoriesShared = false;
        }
        categories.add(node);
        addContext(node);
        continue;
      }
      if (path === CURRENCY_PATH) {
        const id = node.attributes['id']?.trim();
        if (id) rates.set(id, node.attributes['rate']?.trim() ?? '');
        // The shop's own currency is the one at rate 1; offers without currencyId are priced in it.
        const base = [...rates].filter(([, rate]) => rate === '1' || rate === '1.0');
        baseCurrency = base.length === 1 ? base[0]?.[0] : undefined;
        addContext(node);
        continue;
      }
      // An offer the splitter left in the document (it gave up on a construct): read as it is, never recognized.
      record++;
      const position = { line: node.line, record, path: OFFER_PATH };
      if (oversized) {
        const externalId = node.attributes['id']?.slice(0, 255);
        rows.push(readRow({ ok: false, reason: OVERSIZED, position, ...(externalId ? { externalId } : {}) }));
        continue;
      }
      const category = categoryOf(categories, node);
      const currency = baseCurrency;
      rows.push({ position, externalId: undefined, fingerprint: undefined, read: () => validateRecord(offerToDraft(node, category, currency), position) });
    }
  };

  const onOffer = (text: string | undefined, startTag: string, line: number): void => {
    if (walker.failed) return; // nothing after the point where the document failed
    record++;
    const position = { line: line + lineBreaks(startTag), record, path: OFFER_PATH };
    const id = startTagId(startTag);
    if (text === undefined) {
      const externalId = id.value?.slice(0, 255);
      rows.push(readRow({ ok: false, reason: OVERSIZED, position, ...(externalId ? { externalId } : {}) }));
      return;
    }
    const tree = categories;
    categoriesShared = true;
    const currency = baseCurrency;
    rows.push({
      position,
      externalId: id.known ? id.value?.trim() || undefined : undefined,
      fingerprint: fingerprint.reset().add(text).mark(7).add(contextDigest).digest(),
      read: () => {
        const node = readOffer(text, line, maxRecordChars);
        return validateRecord(offerToDraft(node, categoryOf(tree, node), currency), position);
      },
    });
  };

  const outer = (text: string): void => take(walker.write(text));
  const splitter = internals.split === false ? undefined : new XmlElementSplitter(OFFER_PATH, { outer, element: onOffer }, maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS);
  for await (const chunk of decodeFeed(input, options)) {
    if (splitter === undefined) outer(chunk);
    else splitter.write(chunk);
    if (rows.length > 0) yield rows;
    rows = [];
    walker.check();
  }
  splitter?.end();
  take(walker.close());
  if (rows.length > 0) yield rows;
  walker.check();
}

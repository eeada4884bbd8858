import * as crypto from 'node:crypto';
import { InvalidProductError, type CatalogIssue } from './errors.js';

/**
 * The normalized fields of one product, as a feed parser yields them (structurally the harvester's
 * `FeedRecord`): prices are decimal strings so no amount passes through a binary float.
 */
export interface ProductFields {
  /** The supplier's own id for the product (offer id, SKU); unique per tenant and supplier. */
  externalId: string;
  name: string;
  description?: string | null;
  /** Brand or manufacturer. */
  vendor?: string | null;
  /** The supplier's category, "A > B > C" when the feed has a tree. */
  category?: string | null;
  /** The supplier's category id, when the feed has one. */
  categoryId?: string | null;
  /** Decimal string such as "1299.50" (up to 10 integer digits). */
  price?: string | null;
  /** ISO 4217 code, upper case. */
  currency?: string | null;
  oldPrice?: string | null;
  stock?: number | null;
  /** Unset: available unless `stock` is 0 or less. */
  available?: boolean | null;
  url?: string | null;
  images?: readonly string[];
  /** GTIN / EAN / UPC. */
  barcode?: string | null;
  attributes?: Readonly<Record<string, string>>;
}

/** A product to store: its fields plus the content hash the caller computed (see `productContentHash`). */
export interface ProductInput extends ProductFields {
  contentHash: string;
  /**
   * Optional: a hash of the source record the fields were read from, by a reader whose output is a
   * function of that record alone. A later run that reads a record with the same source hash can pass the
   * product to `findUnchangedSources` and skip reading it in full. Leave it out when the fields do not
   * follow from the record alone (edited by hand, changed by code that may change): the stored one is
   * then cleared when the content changes.
   */
  sourceHash?: string | null;
}

const TEXT_FIELDS = ['description', 'vendor', 'category', 'categoryId', 'url', 'barcode'] as const;
const DECIMAL = /^-?\d{1,10}(?:\.\d+)?$/;
const CURRENCY = /^[A-Z]{3}$/;
const INT4_MAX = 2_147_483_647;

// The one-shot crypto.hash (Node 20.12+) is about twice as fast as a Hash object per product.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text) : (text) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * SHA-256 (hex) of a canonical JSON of the product's content: fixed field order, absent and null
 * alike, attribute keys sorted. The external id is the key, not content, so it is left out.
 */
export function productContentHash(fields: ProductFields): string {
  const attributes = fields.attributes ?? {};
  const sortedAttributes = Object.keys(attributes)
    .sort()
    .map((key) => [key, attributes[key]]);
  const canonical = [
    fields.name,
    fields.description ?? null,
    fields.vendor ?? null,
    fields.category ?? null,
    fields.categoryId ?? null,
    fields.price ?? null,
    fields.currency ?? null,
    fields.oldPrice ?? null,
    fields.stock ?? null,
    fields.available ?? null,
    fields.url ?? null,
    fields.images ?? [],
    fields.barcode ?? null,
    sortedAttributes,
  ];
  return sha256Hex(JSON.stringify(canonical));
}

// PostgreSQL text and jsonb refuse NUL; catching it here names the product instead of failing the batch blindly.
const hasNul = (value: string): boolean => value.includes('\u0000');

function checkProduct(product: ProductInput): CatalogIssue[] {
  const issues: CatalogIssue[] = [];
  const bad = (field: string, message: string): void => void issues.push({ field, message });
  if (typeof product.externalId !== 'string' || product.externalId.trim() === '' || hasNul(product.externalId)) bad('externalId', 'must be a non-empty string');
  if (typeof product.name !== 'string' || product.name.trim() === '' || hasNul(product.name)) bad('name', 'must be a non-empty string');
  if (typeof product.contentHash !== 'string' || product.contentHash === '') bad('contentHash', 'must be a non-empty string (see productContentHash)');
  if (product.sourceHash != null && (typeof product.sourceHash !== 'string' || product.sourceHash === '')) bad('sourceHash', 'must be a non-empty string when given');
  for (const field of TEXT_FIELDS) {
    const value = product[field];
    if (value != null && (typeof value !== 'string' || hasNul(value))) bad(field, 'must be a string without NUL characters');
  }
  for (const field of ['price', 'oldPrice'] as const) {
    const value = product[field];
    if (value != null && (typeof value !== 'string' || !DECIMAL.test(value))) bad(field, `must be a decimal string such as "1299.50" with at most 10 integer digits, got ${JSON.stringify(value)}`);
  }
  if (product.currency != null && (typeof product.currency !== 'string' || !CURRENCY.test(product.currency)))
    bad('currency', `must be an upper-case ISO 4217 code such as "EUR", got ${JSON.stringify(product.currency)}`);
  if (product.stock != null && (!Number.isInteger(product.stock) || Math.abs(product.stock) > INT4_MAX)) bad('stock', 'must be an integer within ±2147483647');
  if (product.available != null && typeof product.available !== 'boolean') bad('available', 'must be a boolean');
  if (product.images !== undefined && (!Array.isArray(product.images) || product.images.some((image) => typeof image !== 'string')))
    bad('images', 'must be an array of strings');
  if (product.attributes !== undefined && (typeof product.attributes !== 'object' || product.attributes === null || Array.isArray(product.attributes)))
    bad('attributes', 'must be an object');
  return issues;
}

/** The batch as parallel columns of text, ready for `unnest`: one bind parameter per column, whatever the batch size. */
export interface ProductColumns {
  externalId: string[];
  name: string[];
  description: (string | null)[];
  vendor: (string | null)[];
  category: (string | null)[];
  categoryId: (string | null)[];
  price: (string | null)[];
  currency: (string | null)[];
  oldPrice: (string | null)[];
  stock: (string | null)[];
  available: string[];
  url: (string | null)[];
  images: string[];
  barcode: (string | null)[];
  attributes: string[];
  contentHash: string[];
  sourceHash: (string | null)[];
}

/**
 * A batch checked and turned into columns by `prepareProductBatch`, ready for `upsertProductBatch`: a
 * caller can prepare the next batch while the database writes the current one.
 */
export class PreparedProductBatch {
  constructor(
    readonly columns: ProductColumns,
    /** Products after removing repeated external ids (the last occurrence wins). */
    readonly size: number,
    readonly duplicates: number,
  ) {}
}

/** No enumerable keys (checked without allocating a key list); a value with toJSON is never taken as empty. */
function isEmptyRecord(value: object): boolean {
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  for (const _ in value) return false;
  return true;
}

function jsonOf(value: unknown, index: number, product: ProductInput, field: string): string {
  // Most feeds have neither images nor attributes: an empty one is not serialized per product.
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (!Array.isArray(value) && isEmptyRecord(value as object)) return '{}';
  const json = JSON.stringify(value);
  if (json.includes('\\u0000')) throw new InvalidProductError(index, product.externalId, [{ field, message: 'must not contain NUL characters' }]);
  return json;
}

/**
 * Validates a batch, removes repeated external ids (last wins: one statement cannot update a row
 * twice) and turns it into columns.
 *
 * @throws {InvalidProductError} naming the first bad product; nothing of the batch is stored.
 */
export function prepareProductBatch(products: readonly ProductInput[]): PreparedProductBatch {
  const latest = new Map<string, number>();
  products.forEach((product, index) => {
    const issues = checkProduct(product);
    if (issues.length > 0) throw new InvalidProductError(index, typeof product?.externalId === 'string' ? product.externalId : undefined, issues);
    latest.set(product.externalId, index);
  });
  const columns: ProductColumns = {
    externalId: [], name: [], description: [], vendor: [], category: [], categoryId: [], price: [], currency: [], oldPrice: [],
    stock: [], available: [], url: [], images: [], barcode: [], attributes: [], contentHash: [], sourceHash: [],
  };
  for (const index of latest.values()) {
    const p = products[index]!;
    columns.externalId.push(p.externalId);
    columns.name.push(p.name);
    columns.description.push(p.description ?? null);
    columns.vendor.push(p.vendor ?? null);
    columns.category.push(p.category ?? null);
    columns.categoryId.push(p.categoryId ?? null);
    columns.price.push(p.price ?? null);
    columns.currency.push(p.currency ?? null);
    columns.oldPrice.push(p.oldPrice ?? null);
    columns.stock.push(p.stock == null ? null : String(p.stock));
    columns.available.push(String(p.available ?? (p.stock == null || p.stock > 0)));
    columns.url.push(p.url ?? null);
    columns.images.push(jsonOf(p.images ?? [], index, p, 'images'));
    columns.barcode.push(p.barcode ?? null);
    columns.attributes.push(jsonOf(p.attributes ?? {}, index, p, 'attributes'));
    columns.contentHash.push(p.contentHash);
    columns.sourceHash.push(p.sourceHash ?? null);
  }
  return new PreparedProductBatch(columns, latest.size, products.length - latest.size);
}

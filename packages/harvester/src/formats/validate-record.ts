import { z } from 'zod';
import type { FeedPosition, FeedRecord, ParsedItem, RecordDraft } from './feed-record.js';
import { normalizeCurrency, normalizePrice } from './normalize-price.js';

/** Caps per field, in characters (counts for images and attributes). Longer values reject the record. */
export const FIELD_LIMITS = {
  externalId: 255,
  name: 1_000,
  description: 100_000,
  vendor: 255,
  category: 1_000,
  categoryId: 255,
  url: 2_048,
  barcode: 128,
  images: 100,
  attributes: 500,
  attributeName: 255,
  attributeValue: 10_000,
} as const;

const MAX_STOCK = 1_000_000_000;

const AVAILABILITY = new Map<string, boolean>(Object.entries({
  true: true, '1': true, yes: true, y: true, available: true, 'in stock': true, in_stock: true, instock: true,
  preorder: true, 'pre-order': true, backorder: true, да: true, 'в наличии': true, есть: true,
  false: false, '0': false, no: false, n: false, unavailable: false, 'out of stock': false, out_of_stock: false,
  outofstock: false, discontinued: false, нет: false, 'нет в наличии': false,
}));

// U+FFFD is what the decoder leaves where the bytes were not valid in the feed's encoding.
const BAD_TEXT = "contains bytes that are not valid in the feed's encoding (decoded as U+FFFD); check the supplier's encoding";

/** Text with a length cap; only built-in zod checks, which stay cheap at hundreds of thousands of records. */
function text(max: number, required = false) {
  const errorMap: z.ZodErrorMap = (issue, ctx) => {
    if (issue.code === 'too_small') return { message: 'is required' };
    if (issue.code === 'too_big') return { message: `is ${String(ctx.data).length} characters long (limit ${max})` };
    return { message: ctx.defaultError };
  };
  return z
    .string({ errorMap })
    .min(required ? 1 : 0)
    .max(max)
    .regex(/^[^\uFFFD]*$/, BAD_TEXT)
    // PostgreSQL text and jsonb cannot hold NUL, so the control character is matched on purpose.
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000]*$/, 'contains a NUL character');
}

/** The contract of a normalized record; also usable to re-check staged records. */
export const feedRecordSchema = z.object({
  externalId: text(FIELD_LIMITS.externalId, true),
  name: text(FIELD_LIMITS.name, true),
  description: text(FIELD_LIMITS.description).optional(),
  vendor: text(FIELD_LIMITS.vendor).optional(),
  category: text(FIELD_LIMITS.category).optional(),
  categoryId: text(FIELD_LIMITS.categoryId).optional(),
  price: z.string().regex(/^\d{1,9}\.\d{2,4}$/).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  oldPrice: z.string().regex(/^\d{1,9}\.\d{2,4}$/).optional(),
  stock: z.number().int().nonnegative().lt(MAX_STOCK).optional(),
  available: z.boolean().optional(),
  url: text(FIELD_LIMITS.url).optional(),
  images: z.array(text(FIELD_LIMITS.url)).max(FIELD_LIMITS.images, `has more than ${FIELD_LIMITS.images} entries`),
  barcode: text(FIELD_LIMITS.barcode).optional(),
  attributes: z.record(text(FIELD_LIMITS.attributeName), text(FIELD_LIMITS.attributeValue)),
});

type Issue = readonly [field: string, message: string];

// Problems are reported in the order of the record's fields, whichever check found them.
const FIELD_ORDER = ['externalId', 'name', 'description', 'vendor', 'category', 'categoryId', 'price', 'currency',
  'oldPrice', 'stock', 'available', 'url', 'images', 'barcode', 'attributes'];

function fieldRank([field]: Issue): number {
  const rank = FIELD_ORDER.indexOf(field.split(/[.[]/)[0] ?? field);
  return rank < 0 ? FIELD_ORDER.length : rank;
}

function quote(value: string): string {
  return `"${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
}

function normalizeUrl(value: string): { url: string } | { problem: string } {
  // Past the cap, leave the value to the schema's length message instead of parsing it.
  if (value.length > FIELD_LIMITS.url) return { url: value };
  let parsed: URL;
  try {
    parsed = new URL(value.startsWith('//') ? `https:${value}` : value);
  } catch {
    return { problem: `${quote(value)} is not an absolute URL` };
  }
  // Other schemes (javascript:, file:, data:) would end up in storefront markup.
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { problem: `${quote(value)} is not an http(s) URL` };
  return { url: parsed.href };
}

function normalizeStock(value: string): number | string {
  if (/^-\s*\d/.test(value)) return `${quote(value)} is negative`;
  if (!/^\d+(?:[.,]0+)?$/.test(value)) return `${quote(value)} is not a whole number`;
  const count = Number.parseInt(value, 10);
  return count >= MAX_STOCK ? `${quote(value)} is implausibly large` : count;
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}

const PRICE_FIELDS = ['price', 'oldPrice'] as const;

/**
 * Turns draft strings into typed values; what cannot be converted becomes an issue.
 * The record's keys are set in the schema's order, which is the order zod returns.
 */
function normalize(draft: RecordDraft, issues: Issue[]): Record<string, unknown> {
  // Distinct codes in the order found (at most three: currency, price, oldPrice).
  const currencies: string[] = [];
  const currency = present(draft.currency);
  if (currency !== undefined) {
    const code = normalizeCurrency(currency);
    if (code.ok) currencies.push(code.code);
    else issues.push(['currency', code.reason]);
  }
  const amounts: (string | undefined)[] = [];
  for (const key of PRICE_FIELDS) {
    const value = present(draft[key]);
    if (value === undefined) {
      amounts.push(undefined);
      continue;
    }
    const price = normalizePrice(value);
    if (!price.ok) {
      issues.push([key, price.reason]);
      amounts.push(undefined);
    } else {
      amounts.push(price.amount);
      if (price.currency !== undefined && !currencies.includes(price.currency)) currencies.push(price.currency);
    }
  }
  if (currencies.length > 1) issues.push(['price', `currencies disagree: ${currencies.join(' vs ')}`]);
  const [price, oldPrice] = amounts;

  const stock = present(draft.stock);
  const count = stock === undefined ? undefined : normalizeStock(stock);
  if (typeof count === 'string') issues.push(['stock', count]);
  const available = present(draft.available);
  let flag: boolean | undefined;
  if (available !== undefined) {
    // The keys are lower case, so a direct hit is what the lower-cased lookup would find.
    flag = AVAILABILITY.get(available) ?? AVAILABILITY.get(available.toLowerCase());
    if (flag === undefined) issues.push(['available', `${quote(available)} is not a yes/no value`]);
  }
  const url = present(draft.url);
  const normalizedUrl = url === undefined ? undefined : normalizeUrl(url);
  if (normalizedUrl !== undefined && 'problem' in normalizedUrl) issues.push(['url', normalizedUrl.problem]);
  const images: string[] = [];
  if (draft.images.length > 0) {
    const distinct = [...new Set(draft.images.map((image) => image.trim()).filter((image) => image !== ''))];
    distinct.forEach((image, i) => {
      const normalized = normalizeUrl(image);
      if ('problem' in normalized) issues.push([`images[${i}]`, normalized.problem]);
      else images.push(normalized.url);
    });
  }
  let attributes: Record<string, string> = draft.attributes;
  if (Object.hasOwn(draft.attributes, '__proto__')) issues.push(['attributes', 'has the reserved name "__proto__"']);
  const attributeCount = Object.keys(draft.attributes).length;
  if (attributeCount > FIELD_LIMITS.attributes) {
    issues.push(['attributes', `has ${attributeCount} entries (limit ${FIELD_LIMITS.attributes})`]);
    attributes = {};
  }

  const record: Record<string, unknown> = { externalId: draft.externalId?.trim() ?? '', name: draft.name?.trim() ?? '' };
  // Plain assignments, no helper closure: this runs once per record.
  const description = present(draft.description);
  if (description !== undefined) record['description'] = description;
  const vendor = present(draft.vendor);
  if (vendor !== undefined) record['vendor'] = vendor;
  const category = present(draft.category);
  if (category !== undefined) record['category'] = category;
  const categoryId = present(draft.categoryId);
  if (categoryId !== undefined) record['categoryId'] = categoryId;
  if (price !== undefined) record['price'] = price;
  if (currencies.length === 1) record['currency'] = currencies[0];
  if (oldPrice !== undefined) record['oldPrice'] = oldPrice;
  if (typeof count === 'number') record['stock'] = count;
  if (flag !== undefined) record['available'] = flag;
  if (normalizedUrl !== undefined && 'url' in normalizedUrl) record['url'] = normalizedUrl.url;
  record['images'] = images;
  const barcode = present(draft.barcode);
  if (barcode !== undefined) record['barcode'] = barcode;
  record['attributes'] = attributes;
  return record;
}

function describeIssue(issue: z.ZodIssue): Issue {
  const [field, index] = issue.path;
  const where = typeof index === 'number' ? `${String(field)}[${index}]` : issue.path.join('.');
  return [where, issue.message];
}

function isText(value: unknown, max: number, required = false): boolean {
  return (
    typeof value === 'string' &&
    value.length <= max &&
    (!required || value.length > 0) &&
    !value.includes('\uFFFD') &&
    !value.includes('\u0000')
  );
}

function isOptionalText(value: unknown, max: number): boolean {
  return value === undefined || isText(value, max);
}

const AMOUNT = /^\d{1,9}\.\d{2,4}$/;
const CURRENCY_CODE = /^[A-Z]{3}$/;

function isOptionalMatch(value: unknown, pattern: RegExp): boolean {
  return value === undefined || (typeof value === 'string' && pattern.test(value));
}

/**
 * Exactly `feedRecordSchema.safeParse(candidate).success` for what `normalize` builds,
 * without zod's per-field bookkeeping: this runs once per record of every feed.
 */
function passesSchema(candidate: Record<string, unknown>): boolean {
  const c = candidate;
  if (!isText(c['externalId'], FIELD_LIMITS.externalId, true) || !isText(c['name'], FIELD_LIMITS.name, true)) return false;
  if (
    !isOptionalText(c['description'], FIELD_LIMITS.description) ||
    !isOptionalText(c['vendor'], FIELD_LIMITS.vendor) ||
    !isOptionalText(c['category'], FIELD_LIMITS.category) ||
    !isOptionalText(c['categoryId'], FIELD_LIMITS.categoryId) ||
    !isOptionalText(c['url'], FIELD_LIMITS.url) ||
    !isOptionalText(c['barcode'], FIELD_LIMITS.barcode)
  ) {
    return false;
  }
  if (!isOptionalMatch(c['price'], AMOUNT) || !isOptionalMatch(c['oldPrice'], AMOUNT)) return false;
  if (!isOptionalMatch(c['currency'], CURRENCY_CODE)) return false;
  const stock = c['stock'];
  if (stock !== undefined && !(typeof stock === 'number' && Number.isInteger(stock) && stock >= 0 && stock < MAX_STOCK)) return false;
  if (c['available'] !== undefined && typeof c['available'] !== 'boolean') return false;
  const images = c['images'];
  if (!Array.isArray(images) || images.length > FIELD_LIMITS.images) return false;
  for (const image of images) if (!isText(image, FIELD_LIMITS.url)) return false;
  const attributes = c['attributes'];
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return false;
  for (const key in attributes) {
    if (!isText(key, FIELD_LIMITS.attributeName) || !isText((attributes as Record<string, unknown>)[key], FIELD_LIMITS.attributeValue)) {
      return false;
    }
  }
  return true;
}

/** The record zod would return for a passing candidate: the same keys in the same order, attributes copied. */
function toRecord(candidate: Record<string, unknown>): FeedRecord {
  const attributes: Record<string, string> = {};
  const source = candidate['attributes'] as Record<string, string>;
  // zod never copies a "__proto__" key; such a record is refused before this point anyway.
  for (const key in source) if (key !== '__proto__') attributes[key] = source[key] as string;
  candidate['attributes'] = attributes;
  return candidate as unknown as FeedRecord;
}

/**
 * Validates and normalizes one draft, reporting every problem at once. Duplicate
 * external ids are not detected here: they are yielded as they come, and the
 * store's upsert decides which one wins.
 */
export function validateRecord(draft: RecordDraft, position: FeedPosition): ParsedItem {
  const issues: Issue[] = [];
  const candidate = normalize(draft, issues);
  if (issues.length === 0 && passesSchema(candidate)) return { ok: true, record: toRecord(candidate), position };
  // A refused record goes through the schema, whose issues name every problem.
  const parsed = feedRecordSchema.safeParse(candidate);
  if (!parsed.success) issues.push(...parsed.error.issues.map(describeIssue));
  if (parsed.success && issues.length === 0) return { ok: true, record: parsed.data as FeedRecord, position };
  const rawId = draft.externalId?.trim();
  const externalId = rawId === undefined || rawId === '' ? undefined : rawId.slice(0, FIELD_LIMITS.externalId);
  const reason = [...issues]
    .sort((a, b) => fieldRank(a) - fieldRank(b))
    .map(([field, message]) => `${field} ${message}`)
    .join('; ');
  return { ok: false, reason, position, ...(externalId === undefined ? {} : { externalId }) };
}

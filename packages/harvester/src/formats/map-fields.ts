import { addDraftAttribute, emptyDraft } from './feed-record.js';
import type { FieldMapping, MappableField, RecordDraft } from './feed-record.js';

/**
 * Source names recognized without configuration, in priority order: when a feed has
 * both "sku" and "id", the earlier alias wins and the other lands in attributes.
 * Keys are compared in their normalized form (see `normalizeKey`).
 */
export const FIELD_ALIASES: Readonly<Record<MappableField, readonly string[]>> = {
  externalId: ['sku', 'id', 'article', 'product_id', 'external_id', 'offer_id', 'item_id', 'артикул'],
  name: ['name', 'title', 'product_name', 'product_title', 'наименование', 'название'],
  description: ['description', 'long_description', 'body_html', 'описание'],
  vendor: ['brand', 'vendor', 'manufacturer', 'бренд', 'производитель'],
  category: ['category', 'category_path', 'category_name', 'product_type', 'категория'],
  categoryId: ['category_id'],
  price: ['price', 'price_amount', 'price_value', 'цена'],
  currency: ['currency', 'currency_id', 'currency_code', 'price_currency', 'валюта'],
  oldPrice: ['old_price', 'oldprice', 'compare_at_price', 'regular_price', 'list_price', 'старая_цена'],
  stock: ['stock', 'quantity', 'qty', 'stock_quantity', 'inventory', 'count', 'количество', 'остаток'],
  available: ['available', 'availability', 'in_stock', 'is_available', 'наличие'],
  url: ['url', 'link', 'product_url', 'product_link', 'ссылка'],
  images: ['image', 'images', 'image_url', 'image_urls', 'image_link', 'picture', 'pictures', 'photo', 'photos',
    'изображение', 'изображения', 'фото', 'картинка'],
  barcode: ['barcode', 'gtin', 'ean', 'ean13', 'upc', 'штрихкод'],
};

const ALIAS_INDEX = new Map<string, { field: MappableField; rank: number }>();
for (const [field, aliases] of Object.entries(FIELD_ALIASES) as [MappableField, readonly string[]][]) {
  aliases.forEach((alias, rank) => ALIAS_INDEX.set(alias, { field, rank }));
}

/** "Product ID", "productId", "product-id" and "@product_id" all become "product_id". */
export function normalizeKey(raw: string): string {
  return raw
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
}

/** Splits a cell holding several image URLs ("a.jpg|b.jpg", "https://a, https://b"). */
export function splitImageList(value: string): string[] {
  const parts = value.includes('|') ? value.split('|') : value.split(/[\s,;]+(?=(?:https?:)?\/\/)/);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

type Target = { field: MappableField; rank: number } | undefined;

export type FieldMapper = (entries: Iterable<readonly [key: string, value: string]>) => RecordDraft;

/** Maps a row of values onto a draft, the values in the order of the header the mapper was made for. */
export interface RowMapper {
  (values: readonly string[]): RecordDraft;
  /** The draft's external id, trimmed, without mapping the rest of the row. */
  externalId(values: readonly string[]): string | undefined;
}

type Chosen = Map<MappableField, { key: string; rank: number }>;

function addAttribute(draft: RecordDraft, key: string, value: string): void {
  addDraftAttribute(draft, key.trim(), value);
}

/** One (key, value) pair into the draft; see `createFieldMapper` for the rules. */
function mapEntry(draft: RecordDraft, chosen: Chosen | undefined, key: string, rawValue: string, target: Target): void {
  const value = rawValue.trim();
  if (value === '') return;
  if (target === undefined) {
    addAttribute(draft, key, value);
    return;
  }
  if (target.field === 'images') {
    draft.images.push(...splitImageList(value));
    return;
  }
  const field = target.field as Exclude<MappableField, 'images'>;
  // Without `chosen`, no other column maps to this field (see createRowMapper).
  if (chosen === undefined) {
    draft[field] = value;
    return;
  }
  const current = chosen.get(field);
  if (current !== undefined && current.rank <= target.rank) {
    addAttribute(draft, key, value);
    return;
  }
  if (current !== undefined) addAttribute(draft, current.key, draft[field] ?? '');
  draft[field] = value;
  chosen.set(field, { key, rank: target.rank });
}

function createResolver(mapping: FieldMapping): (key: string) => Target {
  const explicit = new Map<string, MappableField>();
  for (const [field, source] of Object.entries(mapping) as [MappableField, string | undefined][]) {
    if (source !== undefined && source.trim() !== '') explicit.set(normalizeKey(source), field);
  }
  const explicitFields = new Set(explicit.values());
  // Resolving a key costs a few regexes; a CSV repeats the same keys on every row.
  const cache = new Map<string, Target>();

  return (key: string): Target => {
    if (cache.has(key)) return cache.get(key);
    const normalized = normalizeKey(key);
    let target: Target = explicit.has(normalized) ? { field: explicit.get(normalized) as MappableField, rank: -1 } : undefined;
    if (target === undefined) {
      const alias = ALIAS_INDEX.get(normalized);
      // Containers ("images/image", "pictures.url") and numbered columns ("image_2") still name images.
      const head = ALIAS_INDEX.get(normalizeKey(key.split(/[./[]/)[0] ?? ''));
      const stem = ALIAS_INDEX.get(normalized.replace(/_?\d+$/, ''));
      const image = [head, stem].find((found) => found?.field === 'images');
      const candidate = alias ?? image;
      if (candidate !== undefined && !explicitFields.has(candidate.field)) target = candidate;
    }
    if (cache.size < 10_000) cache.set(key, target);
    return target;
  };
}

/**
 * Builds a function that turns a record's raw (key, value) pairs into a draft.
 * Explicit `mapping` entries take precedence over aliases; a key maps to nothing
 * else once it is mapped explicitly. Repeated keys are allowed (XML elements, JSON
 * arrays): images collect every value, other fields keep the first and the rest
 * go to attributes. Unmapped keys become attributes under their original name.
 */
export function createFieldMapper(mapping: FieldMapping = {}): FieldMapper {
  const resolve = createResolver(mapping);
  return (entries) => {
    const draft = emptyDraft();
    const chosen: Chosen = new Map();
    for (const [key, value] of entries) mapEntry(draft, chosen, key, value, resolve(key));
    return draft;
  };
}

/**
 * The same mapping for rows that share one header (CSV): keys are resolved once,
 * and `values[i]` (missing ones read as empty) pairs with `header[i]`.
 */
export function createRowMapper(header: readonly string[], mapping: FieldMapping = {}): RowMapper {
  const resolve = createResolver(mapping);
  const targets = header.map(resolve);
  const fields = targets.filter((target) => target !== undefined && target.field !== 'images').map((target) => target!.field);
  // Most headers name each field once: then no column competes for a field and a row needs no
  // bookkeeping of which column won (a Map and an object per field, on every row of the feed).
  const competing = new Set(fields).size !== fields.length;
  const mapRow = (values: readonly string[]): RecordDraft => {
    const draft = emptyDraft();
    const chosen: Chosen | undefined = competing ? new Map() : undefined;
    for (let i = 0; i < header.length; i++) mapEntry(draft, chosen, header[i] as string, values[i] ?? '', targets[i]);
    return draft;
  };
  // The id columns by rank, then position: as in `mapEntry`, the first non-empty one of the best rank wins.
  const idColumns = targets
    .map((target, column) => ({ target, column }))
    .filter(({ target }) => target?.field === 'externalId')
    .sort((a, b) => (a.target as { rank: number }).rank - (b.target as { rank: number }).rank || a.column - b.column)
    .map(({ column }) => column);
  const externalId = (values: readonly string[]): string | undefined => {
    for (const column of idColumns) {
      const value = values[column]?.trim();
      if (value) return value;
    }
    return undefined;
  };
  return Object.assign(mapRow, { externalId });
}

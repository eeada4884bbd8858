/**
 * The normalized product record every feed parser yields, whatever the feed's format.
 * Values are already trimmed and validated; prices are decimal strings so that no
 * amount ever passes through a binary float.
 */
export interface FeedRecord {
  /** The supplier's own id for the product (offer id, SKU, article). */
  externalId: string;
  name: string;
  description?: string;
  /** Brand or manufacturer. */
  vendor?: string;
  /** The supplier's category, as a path "A > B > C" when the feed has a tree. */
  category?: string;
  /** The supplier's category id, when the feed has one (YML `categoryId`). */
  categoryId?: string;
  /** Canonical decimal string, e.g. "1299.50"; at least two fractional digits. */
  price?: string;
  /** ISO 4217 code, upper case. */
  currency?: string;
  oldPrice?: string;
  stock?: number;
  available?: boolean;
  url?: string;
  images: string[];
  /** GTIN / EAN / UPC as given by the supplier. */
  barcode?: string;
  attributes: Record<string, string>;
}

/** Where a record sits in its feed, for error reports a supplier can act on. */
export interface FeedPosition {
  /** 1-based line where the record starts, when the format has lines. */
  line?: number;
  /** 1-based index of the record among the feed's records. */
  record: number;
  /** Where in the document: an XML element path or a JSON array path. */
  path?: string;
}

/**
 * One parser output. Invalid records are items too (`ok: false`), never dropped,
 * so the harvest run can count and report them.
 */
export type ParsedItem =
  | { ok: true; record: FeedRecord; position: FeedPosition }
  | { ok: false; reason: string; position: FeedPosition; externalId?: string };

/**
 * Bump whenever parsing, mapping or normalizing changes what a record becomes: source hashes stored by
 * an earlier version then stop matching, and the next harvest reads every record in full.
 */
export const PARSER_VERSION = 1;

/** Characters a record may take before it is reported oversized instead of parsed (`maxRecordChars`). */
export const DEFAULT_MAX_RECORD_CHARS = 32 * 1_048_576;

/**
 * A record as read from the feed, before it is mapped and checked. Its fingerprint covers everything
 * its result depends on: its source (the CSV row's fields, the YML offer with its category path), what
 * else in the feed decides it (the CSV header), the parser's options and `PARSER_VERSION`. A reader
 * that finds the same fingerprint stored can skip `read()`, which maps and validates the record.
 */
export interface FeedRow {
  position: FeedPosition;
  /** The external id mapping gives the record, trimmed; undefined when it has none. */
  externalId: string | undefined;
  /** 16 hex digits (see `Fingerprint`); undefined when the row is known to be invalid or the format does not tell. */
  fingerprint: string | undefined;
  read(): ParsedItem;
}

/** A row whose item is known already: it is never recognized by source. */
export function readRow(item: ParsedItem): FeedRow {
  return { position: item.position, externalId: undefined, fingerprint: undefined, read: () => item };
}

/** Fields a feed column, key or element can be mapped onto explicitly. */
export const MAPPABLE_FIELDS = [
  'externalId',
  'name',
  'description',
  'vendor',
  'category',
  'categoryId',
  'price',
  'currency',
  'oldPrice',
  'stock',
  'available',
  'url',
  'images',
  'barcode',
] as const;

export type MappableField = (typeof MAPPABLE_FIELDS)[number];

/**
 * Explicit source names per field: a CSV header, a JSON key path ("price.amount")
 * or an XML selector relative to the record ("@id", "price/@currency").
 * Names are compared after normalization (case, spaces, separators).
 */
export type FieldMapping = Partial<Record<MappableField, string>>;

/**
 * A record as read from the feed, before validation: every value still a string.
 * Parsers build drafts; `validateRecord` turns a draft into a ParsedItem.
 */
export interface RecordDraft {
  externalId?: string;
  name?: string;
  description?: string;
  vendor?: string;
  category?: string;
  categoryId?: string;
  price?: string;
  currency?: string;
  oldPrice?: string;
  stock?: string;
  available?: string;
  url?: string;
  images: string[];
  barcode?: string;
  attributes: Record<string, string>;
}

// Every draft shares this one until it gets an attribute: most records have none, and an object
// without a prototype is kept as a dictionary, larger than an empty literal. Frozen, so a write that
// does not go through writableAttributes throws instead of reaching every other draft.
const NO_ATTRIBUTES = Object.freeze(Object.create(null) as Record<string, string>);

export function emptyDraft(): RecordDraft {
  return { images: [], attributes: NO_ATTRIBUTES };
}

/**
 * The draft's attributes as an object of its own to write to. No prototype: an attribute named
 * "__proto__" must be kept (and then refused), not swallowed.
 */
export function writableAttributes(draft: RecordDraft): Record<string, string> {
  if (draft.attributes === NO_ATTRIBUTES) draft.attributes = Object.create(null) as Record<string, string>;
  return draft.attributes;
}

/** Adds an attribute unless the value is empty; a name seen before keeps both values, joined by ", ". */
export function addDraftAttribute(draft: RecordDraft, name: string, value: string): void {
  if (value === '') return;
  const attributes = writableAttributes(draft);
  const previous = attributes[name];
  attributes[name] = previous === undefined ? value : `${previous}, ${value}`;
}

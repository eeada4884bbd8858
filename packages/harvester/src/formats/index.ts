import type { Readable } from 'node:stream';
import { FeedParseError } from './errors.js';
import { readRow } from './feed-record.js';
import type { FeedRow, ParsedItem } from './feed-record.js';
import { parseCsvBatches, parseCsvRowBatches } from './parse-csv.js';
import type { CsvOptions } from './parse-csv.js';
import { parseGoogleMerchantBatches } from './parse-google-merchant.js';
import type { GoogleMerchantOptions } from './parse-google-merchant.js';
import { parseJson, parseJsonLines } from './parse-json.js';
import type { JsonLinesOptions, JsonOptions } from './parse-json.js';
import { parseXmlBatches } from './parse-xml.js';
import type { XmlOptions } from './parse-xml.js';
import { parseYmlBatches, parseYmlRowBatches } from './parse-yml.js';
import type { YmlOptions } from './parse-yml.js';

export type { FeedPosition, FeedRecord, FeedRow, FieldMapping, MappableField, ParsedItem, RecordDraft } from './feed-record.js';
export { MAPPABLE_FIELDS, PARSER_VERSION } from './feed-record.js';
export { FeedParseError } from './errors.js';
export type { FeedErrorPosition } from './errors.js';
export { decodeFeed, detectEncoding } from './decode.js';
export type { DecodeOptions, EncodingDetection, EncodingSource } from './decode.js';
export { FIELD_LIMITS, feedRecordSchema, validateRecord } from './validate-record.js';
export { normalizeCurrency, normalizePrice } from './normalize-price.js';
export { FIELD_ALIASES, createFieldMapper, normalizeKey } from './map-fields.js';
export { CSV_DELIMITERS, detectDelimiter, parseCsv, parseCsvBatches, parseCsvRowBatches } from './parse-csv.js';
export type { CsvOptions } from './parse-csv.js';
export { parseJson, parseJsonLines } from './parse-json.js';
export type { JsonLinesOptions, JsonOptions } from './parse-json.js';
export { DEFAULT_ARRAY_KEYS } from './json-array-splitter.js';
export { parseXml, parseXmlBatches } from './parse-xml.js';
export type { XmlOptions } from './parse-xml.js';
export { parseYml, parseYmlBatches, parseYmlRowBatches } from './parse-yml.js';
export type { YmlOptions } from './parse-yml.js';
export { GOOGLE_NS, parseGoogleMerchant, parseGoogleMerchantBatches } from './parse-google-merchant.js';
export type { GoogleMerchantOptions } from './parse-google-merchant.js';

export const FEED_FORMATS = ['csv', 'json', 'jsonl', 'xml', 'yml', 'google-merchant'] as const;

export type FeedFormat = (typeof FEED_FORMATS)[number];

/** Options for `parseFeed`: the format plus that format's own options. */
export type ParseFeedOptions =
  | ({ format: 'csv' } & CsvOptions)
  | ({ format: 'json' } & JsonOptions)
  | ({ format: 'jsonl' } & JsonLinesOptions)
  | ({ format: 'xml' } & XmlOptions)
  | ({ format: 'yml' } & YmlOptions)
  | ({ format: 'google-merchant' } & GoogleMerchantOptions);

/** The bytes of a staged feed: a file stream, or any async iterable of chunks. */
export type FeedInput = Readable | AsyncIterable<Uint8Array | string>;

export function isFeedFormat(value: unknown): value is FeedFormat {
  return typeof value === 'string' && (FEED_FORMATS as readonly string[]).includes(value);
}

function checkOptions(options: ParseFeedOptions): void {
  // Supplier rows come from the database, so the format is checked at run time too.
  const format: unknown = options.format;
  if (!isFeedFormat(format)) {
    throw new FeedParseError(`Unknown feed format "${String(format)}"; known formats: ${FEED_FORMATS.join(', ')}`);
  }
  if (options.format === 'xml' && typeof options.recordPath !== 'string') {
    throw new FeedParseError('The xml format needs a recordPath, e.g. "catalog/product"');
  }
}

async function* singles(items: AsyncIterable<ParsedItem>): AsyncGenerator<ParsedItem[]> {
  for await (const item of items) yield [item];
}

/**
 * `parseFeed`, in batches: the items of one chunk of the file at a time (JSON and
 * JSON Lines: one item per batch), in the same order, with the same errors. A
 * consumer that handles items synchronously saves an await per record.
 */
export async function* parseFeedBatches(input: FeedInput, options: ParseFeedOptions): AsyncGenerator<ParsedItem[]> {
  checkOptions(options);
  switch (options.format) {
    case 'csv':
      return yield* parseCsvBatches(input, options);
    case 'json':
      return yield* singles(parseJson(input, options));
    case 'jsonl':
      return yield* singles(parseJsonLines(input, options));
    case 'xml':
      return yield* parseXmlBatches(input, options);
    case 'yml':
      return yield* parseYmlBatches(input, options);
    case 'google-merchant':
      return yield* parseGoogleMerchantBatches(input, options);
  }
}

/**
 * `parseFeedBatches` as rows that are mapped and checked only when read (see `FeedRow`). CSV and YML
 * rows carry a fingerprint; the other formats' rows are read already and carry none.
 */
export async function* parseFeedRowBatches(input: FeedInput, options: ParseFeedOptions): AsyncGenerator<FeedRow[]> {
  checkOptions(options);
  if (options.format === 'csv') return yield* parseCsvRowBatches(input, options);
  if (options.format === 'yml') return yield* parseYmlRowBatches(input, options);
  for await (const items of parseFeedBatches(input, options)) yield items.map(readRow);
}

/**
 * Streams the records of a staged feed in the given format. Yields one item per
 * record (valid or not, with its position); throws `FeedParseError` only when the
 * feed as a whole cannot be read. Duplicate external ids are yielded as they come:
 * deduplication is the store's job.
 */
export async function* parseFeed(input: FeedInput, options: ParseFeedOptions): AsyncGenerator<ParsedItem> {
  checkOptions(options);
  switch (options.format) {
    case 'json':
      return yield* parseJson(input, options);
    case 'jsonl':
      return yield* parseJsonLines(input, options);
    default:
      // A plain yield per item: `yield*` over an array adds an async-from-sync iterator step to each.
      for await (const items of parseFeedBatches(input, options)) for (const item of items) yield item;
  }
}

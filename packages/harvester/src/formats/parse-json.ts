import { decodeFeed } from './decode.js';
import type { DecodeOptions } from './decode.js';
import type { FieldMapping, FeedPosition, ParsedItem, RecordDraft } from './feed-record.js';
import { DEFAULT_MAX_RECORD_CHARS, writableAttributes } from './feed-record.js';
import { JsonArraySplitter } from './json-array-splitter.js';
import type { JsonElement } from './json-array-splitter.js';
import { createFieldMapper } from './map-fields.js';
import type { FieldMapper } from './map-fields.js';
import { validateRecord } from './validate-record.js';

const TOO_LARGE = 'is larger than the record size limit and was not parsed';

/** Keys whose object (or list of {name, value}) holds product attributes rather than fields. */
const ATTRIBUTE_CONTAINERS = new Set(['attributes', 'params', 'properties', 'specs', 'specifications', 'characteristics']);

function* flatten(value: unknown, prefix: string): Generator<readonly [string, string]> {
  if (value === null || value === undefined) return;
  if (typeof value === 'string') yield [prefix, value];
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') yield [prefix, String(value)];
  else if (Array.isArray(value)) for (const item of value) yield* flatten(item, prefix);
  else if (typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) yield* flatten(inner, prefix === '' ? key : `${prefix}.${key}`);
  }
}

function attributeEntries(value: unknown): [string, string][] {
  if (Array.isArray(value)) {
    // [{ "name": "Color", "value": "red" }], the other common way to list attributes.
    return value.flatMap((item): [string, string][] => {
      if (typeof item !== 'object' || item === null) return [];
      const { name, value: inner } = item as Record<string, unknown>;
      return typeof name === 'string' && inner !== undefined && inner !== null ? [[name, String(inner)]] : [];
    });
  }
  return [...flatten(value, '')].map(([key, inner]) => [key, inner]);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** Turns one JSON record (already parsed) into a draft: known keys by alias, the rest into attributes. */
function jsonObjectToDraft(object: Record<string, unknown>, mapRecord: FieldMapper): RecordDraft {
  const entries: (readonly [string, string])[] = [];
  const attributes: [string, string][] = [];
  for (const [key, value] of Object.entries(object)) {
    if (ATTRIBUTE_CONTAINERS.has(key.toLowerCase()) && typeof value === 'object' && value !== null) {
      attributes.push(...attributeEntries(value));
    } else {
      entries.push(...flatten(value, key));
    }
  }
  const draft = mapRecord(entries);
  for (const [name, value] of attributes) {
    if (value.trim() !== '') writableAttributes(draft)[name.trim()] = value.trim();
  }
  return draft;
}

/** Parses and validates one element's JSON text; a bad element is an `ok: false` item. */
function jsonTextToItem(text: string, position: FeedPosition, mapRecord: FieldMapper): ParsedItem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `is not valid JSON: ${(error as Error).message}`, position };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `is ${describe(value)}, not an object`, position };
  }
  return validateRecord(jsonObjectToDraft(value as Record<string, unknown>, mapRecord), position);
}

export interface JsonOptions extends DecodeOptions {
  /**
   * Dotted key path of the record array ("products", "data.items"), or "" for a
   * top-level array. Default: a top-level array, or the first of products, items,
   * offers, data, records, entries that holds an array.
   */
  arrayPath?: string;
  /** Explicit key-to-field mapping ("price.amount"); overrides the built-in aliases. */
  fields?: FieldMapping;
  /** Elements longer than this (characters) are reported invalid without being parsed. */
  maxRecordChars?: number;
}

/**
 * Streams a JSON feed: a top-level array of product objects, or an object holding
 * that array under a key. Elements are split out of the text one at a time and
 * parsed separately, so memory stays flat however large the file.
 */
export async function* parseJson(input: AsyncIterable<unknown>, options: JsonOptions = {}): AsyncGenerator<ParsedItem> {
  const mapRecord = createFieldMapper(options.fields);
  const splitter = new JsonArraySplitter({
    ...(options.arrayPath === undefined ? {} : { arrayPath: options.arrayPath }),
    ...(options.maxRecordChars === undefined ? {} : { maxElementChars: options.maxRecordChars }),
  });
  const toItem = (element: JsonElement): ParsedItem => {
    const position = { line: element.line, record: element.index + 1, path: element.path };
    if (element.oversized) return { ok: false, reason: TOO_LARGE, position };
    return jsonTextToItem(element.text, position, mapRecord);
  };
  for await (const chunk of decodeFeed(input, options)) {
    for (const element of splitter.push(chunk)) yield toItem(element);
  }
  for (const element of splitter.end()) yield toItem(element);
}

export interface JsonLinesOptions extends DecodeOptions {
  fields?: FieldMapping;
  /** Lines longer than this (characters) are reported invalid without being kept. */
  maxRecordChars?: number;
}

/**
 * Streams a JSON Lines feed: one product object per line. Blank lines are skipped;
 * a line that is not a JSON object is an invalid record, not a fatal error, since
 * every other line stands on its own.
 */
export async function* parseJsonLines(
  input: AsyncIterable<unknown>,
  options: JsonLinesOptions = {},
): AsyncGenerator<ParsedItem> {
  const mapRecord = createFieldMapper(options.fields);
  const maxChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  let pending: string[] = [];
  let pendingChars = 0;
  let line = 0;
  let record = 0;

  function* emit(tail: string): Generator<ParsedItem> {
    line++;
    const oversized = pendingChars + tail.length > maxChars;
    const text = oversized ? '' : pending.join('') + tail;
    pending = [];
    pendingChars = 0;
    if (!oversized && text.trim() === '') return;
    record++;
    const position = { line, record };
    if (oversized) yield { ok: false, reason: TOO_LARGE, position };
    else yield jsonTextToItem(text, position, mapRecord);
  }

  const text = decodeFeed(input, options);
  for await (const chunk of text) {
    let from = 0;
    for (let newline = chunk.indexOf('\n'); newline >= 0; newline = chunk.indexOf('\n', from)) {
      yield* emit(chunk.slice(from, newline));
      from = newline + 1;
    }
    const rest = chunk.slice(from);
    pendingChars += rest.length;
    // Over the limit, count but stop keeping: one runaway line must not exhaust memory.
    if (pendingChars <= maxChars) pending.push(rest);
  }
  if (pending.length > 0 || pendingChars > 0) yield* emit('');
}

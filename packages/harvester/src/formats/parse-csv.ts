import { CsvError, parse } from 'csv-parse';
import { CsvSplitError, CsvSplitter, splitterHandles } from './csv-splitter.js';
import type { CsvRow } from './csv-splitter.js';
import { decodeFeed } from './decode.js';
import { Fingerprint } from './fingerprint.js';
import type { DecodeOptions } from './decode.js';
import { FeedParseError } from './errors.js';
import { DEFAULT_MAX_RECORD_CHARS, PARSER_VERSION, readRow } from './feed-record.js';
import type { FeedRow, FieldMapping, ParsedItem } from './feed-record.js';
import { createRowMapper } from './map-fields.js';
import type { RowMapper } from './map-fields.js';
import { validateRecord } from './validate-record.js';

export interface CsvOptions extends DecodeOptions {
  /** Field delimiter; detected from the header line when absent. */
  delimiter?: string;
  /** Explicit header-to-field mapping; overrides the built-in column aliases. */
  fields?: FieldMapping;
  /** Largest record in characters before the feed is refused (guards against a runaway quote). */
  maxRecordChars?: number;
}

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
const MAX_HEADER_CHARS = 1_048_576;

/** Picks the candidate delimiter that occurs most often outside quotes in the header line. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>(CSV_DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  let bestCount = 0;
  for (const [delimiter, count] of counts) {
    if (count > bestCount) [best, bestCount] = [delimiter, count];
  }
  return best;
}

/** Reads text until the first line is complete, so the delimiter can be chosen before parsing. */
async function peekHeader(text: AsyncIterator<string>): Promise<{ head: string; done: boolean }> {
  let head = '';
  for (;;) {
    const next = await text.next();
    if (next.done === true) return { head, done: true };
    head += next.value;
    if (head.includes('\n')) return { head, done: false };
    if (head.length > MAX_HEADER_CHARS) {
      throw new FeedParseError('CSV header line is longer than 1 MiB; the file is probably not CSV', { position: { line: 1 } });
    }
  }
}

async function* replay(head: string, rest: AsyncIterator<string>, done: boolean): AsyncGenerator<string> {
  // A BOM left in the text (e.g. a double BOM) would glue itself to the first header name.
  yield head.replace(/^\uFEFF/, '');
  if (done) return;
  for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value;
}

function toFeedError(error: unknown, startLine: number): unknown {
  const code = error instanceof CsvError ? error.code : error instanceof CsvSplitError ? `CSV_${error.code}` : undefined;
  if (code === undefined) return error;
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    return new FeedParseError('Unbalanced quote in CSV: a quoted field that opens on or after this line is never closed', {
      position: { line: startLine },
      cause: error,
    });
  }
  if (code === 'CSV_MAX_RECORD_SIZE') {
    return new FeedParseError(
      'CSV record starting on this line grew past the size limit; most likely an unbalanced quote',
      { position: { line: startLine }, cause: error },
    );
  }
  const endLine = typeof (error as CsvError)['lines'] === 'number' ? ((error as CsvError)['lines'] as number) : undefined;
  return new FeedParseError(`Malformed CSV: ${(error as Error).message}`, { position: { line: endLine ?? startLine }, cause: error });
}

/**
 * The rows of the text, a batch per chunk; a failure is thrown after the rows before it.
 * The splitter does the common case; an unusual delimiter or limit goes to csv-parse.
 */
async function* splitRows(chunks: AsyncIterable<string>, delimiter: string, maxRecordChars: number): AsyncGenerator<CsvRow[]> {
  if (!splitterHandles(delimiter, maxRecordChars)) return yield* csvParseRows(chunks, delimiter, maxRecordChars);
  const splitter = new CsvSplitter(delimiter, maxRecordChars);
  const take = (): CsvRow[] => splitter.rows.splice(0);
  for await (const chunk of chunks) {
    try {
      splitter.push(chunk);
    } catch (error) {
      yield take();
      throw error;
    }
    yield take();
  }
  try {
    splitter.end();
  } finally {
    yield take();
  }
}

/** csv-parse with the options the splitter reproduces: for delimiters it does not handle. */
async function* csvParseRows(chunks: AsyncIterable<string>, delimiter: string, maxRecordChars: number): AsyncGenerator<CsvRow[]> {
  // Rows are taken synchronously from on_record, so every row parsed before a fatal
  // error is still yielded and the error's line is known.
  let rows: CsvRow[] = [];
  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: maxRecordChars,
    on_record: (fields: string[], context) => {
      rows.push({ fields, endLine: context.lines });
      return null;
    },
  });
  parser.on('error', () => undefined); // reported through the write and end callbacks
  parser.resume();
  const take = (): CsvRow[] => {
    const taken = rows;
    rows = [];
    return taken;
  };
  const write = (chunk: string): Promise<void> =>
    new Promise((resolve, reject) => parser.write(chunk, (error) => (error ? reject(error) : resolve())));
  const end = (): Promise<void> =>
    new Promise((resolve, reject) => {
      parser.once('error', reject);
      parser.end(() => resolve());
    });
  try {
    for await (const chunk of chunks) {
      let failure: unknown;
      await write(chunk).catch((error: unknown) => (failure = error));
      yield take();
      if (failure !== undefined) throw failure;
    }
    let failure: unknown;
    await end().catch((error: unknown) => (failure = error));
    yield take();
    if (failure !== undefined) throw failure;
  } finally {
    parser.destroy();
  }
}

function countNewlines(fields: readonly string[]): number {
  let count = 0;
  for (const field of fields) for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * Streams a CSV feed: the first line is the header, every following line a record.
 * Header names are matched to record fields by `FIELD_ALIASES` (or `options.fields`);
 * other columns become attributes. Rows whose field count differs from the header's
 * are yielded as invalid, since their values have shifted into the wrong columns.
 */
export async function* parseCsv(input: AsyncIterable<unknown>, options: CsvOptions = {}): AsyncGenerator<ParsedItem> {
  for await (const items of parseCsvBatches(input, options)) for (const item of items) yield item;
}

/** `parseCsv`, a batch of items per chunk of the file. */
export async function* parseCsvBatches(input: AsyncIterable<unknown>, options: CsvOptions = {}): AsyncGenerator<ParsedItem[]> {
  for await (const rows of parseCsvRowBatches(input, options)) yield rows.map((row) => row.read());
}

function fingerprintOf(fingerprint: Fingerprint, fields: readonly string[]): string {
  fingerprint.reset();
  for (const field of fields) fingerprint.add(field).mark(0);
  return fingerprint.digest();
}

/**
 * `parseCsvBatches` as rows that are mapped and checked only when read. A row's fingerprint covers its
 * fields and what decides what they become: the options, the delimiter and the header.
 */
export async function* parseCsvRowBatches(input: AsyncIterable<unknown>, options: CsvOptions = {}): AsyncGenerator<FeedRow[]> {
  const text = decodeFeed(input, options)[Symbol.asyncIterator]();
  const { head, done } = await peekHeader(text);
  const delimiter = options.delimiter ?? detectDelimiter(head.split('\n', 1)[0] ?? '');
  let header: string[] | undefined;
  let mapRow: RowMapper | undefined;
  let fingerprint: Fingerprint | undefined;
  let record = 0;
  let lastLine = 0;
  const rows = splitRows(replay(head, text, done), delimiter, options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS);
  try {
    for (;;) {
      let batch: IteratorResult<CsvRow[], void>;
      try {
        batch = await rows.next();
      } catch (error) {
        throw toFeedError(error, lastLine + 1);
      }
      if (batch.done === true) break;
      const read: FeedRow[] = [];
      for (const { fields, endLine } of batch.value) {
        const line = endLine - countNewlines(fields);
        lastLine = endLine;
        if (header === undefined) {
          header = fields.map((name, i) => (name.trim() === '' ? `column_${i + 1}` : name.trim()));
          mapRow = createRowMapper(header, options.fields);
          fingerprint = new Fingerprint(JSON.stringify([PARSER_VERSION, 'csv', options, delimiter, fields]));
          continue;
        }
        record++;
        const position = { line, record };
        const map = mapRow as RowMapper;
        if (fields.length !== header.length) {
          const externalId = map.externalId(fields)?.slice(0, 255);
          const reason = `has ${fields.length} fields but the header has ${header.length}; check quoting and the delimiter ${JSON.stringify(delimiter)}`;
          read.push(readRow({ ok: false, reason, position, ...(externalId ? { externalId } : {}) }));
          continue;
        }
        const print = fingerprintOf(fingerprint as Fingerprint, fields);
        read.push({ position, externalId: map.externalId(fields), fingerprint: print, read: () => validateRecord(map(fields), position) });
      }
      if (read.length > 0) yield read;
    }
  } finally {
    await rows.return(undefined);
    await text.return?.();
  }
}

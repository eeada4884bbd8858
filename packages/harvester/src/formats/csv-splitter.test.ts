import { parse } from 'csv-parse';
import { describe, expect, it } from 'vitest';
import { CsvSplitError, CsvSplitter, splitterHandles } from './csv-splitter.js';
import type { CsvRow } from './csv-splitter.js';

interface Outcome {
  rows: CsvRow[];
  error?: string;
}

/** What csv-parse makes of the chunks with the options parseCsv gave it before the splitter. */
async function viaCsvParse(chunks: readonly string[], delimiter: string, maxRecordSize: number): Promise<Outcome> {
  const rows: CsvRow[] = [];
  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: maxRecordSize,
    on_record: (fields: string[], context) => {
      rows.push({ fields, endLine: context.lines });
      return null;
    },
  });
  parser.on('error', () => undefined);
  parser.resume();
  try {
    for (const chunk of chunks) {
      await new Promise<void>((resolve, reject) => parser.write(chunk, (error) => (error ? reject(error) : resolve())));
    }
    await new Promise<void>((resolve, reject) => {
      parser.once('error', reject);
      parser.end(() => resolve());
    });
  } catch (error) {
    return { rows, error: String((error as { code?: string }).code).replace(/^CSV_/, '') };
  }
  return { rows };
}

function viaSplitter(chunks: readonly string[], delimiter: string, maxRecordSize: number): Outcome {
  const splitter = new CsvSplitter(delimiter, maxRecordSize);
  try {
    for (const chunk of chunks) splitter.push(chunk);
    splitter.end();
  } catch (error) {
    if (!(error instanceof CsvSplitError)) throw error;
    return { rows: splitter.rows, error: error.code };
  }
  return { rows: splitter.rows };
}

function split(text: string, delimiter = ',', maxRecordSize = 0): Outcome {
  return viaSplitter([text], delimiter, maxRecordSize);
}

describe('CsvSplitter', () => {
  it('splits fields and records, counting lines', () => {
    expect(split('a,b\n1,2\n')).toEqual({ rows: [{ fields: ['a', 'b'], endLine: 1 }, { fields: ['1', '2'], endLine: 2 }] });
  });

  it('handles quotes, doubled quotes and delimiters inside quotes', () => {
    expect(split('"a,b","say ""hi""",""\n').rows[0]?.fields).toEqual(['a,b', 'say "hi"', '']);
  });

  it('keeps newlines inside quoted fields and ends the record on the line it ends', () => {
    expect(split('x\n"one\ntwo",3\n').rows[1]).toEqual({ fields: ['one\ntwo', '3'], endLine: 3 });
  });

  it('takes "\\r\\n" as the record delimiter when the first line break is one', () => {
    expect(split('a;b\r\n1;2\r\n3;"x\r\ny"\r\n', ';').rows).toEqual([
      { fields: ['a', 'b'], endLine: 1 },
      { fields: ['1', '2'], endLine: 2 },
      // csv-parse counts both characters of a line break inside quotes.
      { fields: ['3', 'x\r\ny'], endLine: 5 },
    ]);
  });

  it('keeps a lone "\\n" as text once "\\r\\n" is the record delimiter', () => {
    expect(split('a\r\nb\nc\r\n').rows.map((row) => row.fields)).toEqual([['a'], ['b\nc']]);
  });

  it('skips empty lines but not a line holding an empty quoted field', () => {
    expect(split('a\n\n\n""\nb').rows).toEqual([
      { fields: ['a'], endLine: 1 },
      { fields: [''], endLine: 4 },
      { fields: ['b'], endLine: 5 },
    ]);
  });

  it('treats stray quotes as text (relaxed quoting)', () => {
    expect(split('a"b,"c"d,e\n').rows[0]?.fields).toEqual(['a"b', '"c"d', 'e']);
  });

  it('returns rows with too many or too few fields as they are', () => {
    expect(split('a,b\n1\n1,2,3\n').rows.map((row) => row.fields)).toEqual([['a', 'b'], ['1'], ['1', '2', '3']]);
  });

  it('keeps a byte order mark that is inside the text', () => {
    expect(split('\uFEFFa,b\n').rows[0]?.fields).toEqual(['\uFEFFa', 'b']);
  });

  it('turns a lone surrogate into U+FFFD, as encoding to UTF-8 did', () => {
    expect(split('a,\uD800b\n').rows[0]?.fields).toEqual(['a', '\uFFFDb']);
  });

  it('fails on a quote never closed, after the rows before it', () => {
    const splitter = new CsvSplitter(',', 0);
    splitter.push('a,b\n1,"open\n2,3\n');
    expect(() => splitter.end()).toThrow(expect.objectContaining({ code: 'QUOTE_NOT_CLOSED' }));
    expect(splitter.rows).toEqual([{ fields: ['a', 'b'], endLine: 1 }]);
  });

  it('fails when a record grows past the size limit, counting UTF-8 bytes of the current field', () => {
    expect(split('abcd,e\n', ',', 4).error).toBeUndefined();
    expect(split('abcdef\n', ',', 4).error).toBe('MAX_RECORD_SIZE');
    // "ж" is two bytes: 3 characters but 6 bytes.
    expect(split('жжж\n', ',', 4).error).toBe('MAX_RECORD_SIZE');
  });

  it('stops a runaway quote without holding the rest of the input', () => {
    const splitter = new CsvSplitter(',', 100);
    splitter.push('a\n"');
    expect(() => {
      for (let i = 0; i < 1_000; i++) splitter.push('0123456789\n');
    }).toThrow(CsvSplitError);
  });

  it('leaves multi-character and quote-like delimiters to csv-parse', () => {
    expect(splitterHandles(';', 100)).toBe(true);
    expect(splitterHandles('\t', 0)).toBe(true);
    expect(splitterHandles('||', 100)).toBe(false);
    expect(splitterHandles('"', 100)).toBe(false);
    expect(splitterHandles('\n', 100)).toBe(false);
    expect(splitterHandles(',', -1)).toBe(false);
  });

  it('agrees with csv-parse on random text, chunking and size limits', { timeout: 60_000 }, async () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const pieces = ['a', 'bc', ';', ',', '"', '""', '\r', '\n', '\r\n', '\0', ' ', 'ж', '😀', '\t', '\uFEFF'];
    for (let n = 0; n < 4_000; n++) {
      let text = '';
      for (let length = Math.floor(random() * 60); length > 0; length--) text += pieces[Math.floor(random() * pieces.length)];
      const chunks: string[] = [];
      for (let at = 0; at < text.length; ) {
        const size = 1 + Math.floor(random() * 8);
        chunks.push(text.slice(at, at + size));
        at += size;
      }
      const delimiter = random() < 0.5 ? ',' : ';';
      const max = random() < 0.3 ? Math.floor(random() * 12) : 0;
      const expected = await viaCsvParse(chunks, delimiter, max);
      expect({ text, delimiter, max, ...viaSplitter(chunks, delimiter, max) }).toEqual({ text, delimiter, max, ...expected });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { FeedParseError } from './errors.js';
import { JsonArraySplitter } from './json-array-splitter.js';
import type { JsonElement, SplitterOptions } from './json-array-splitter.js';

/** Feeds the text in pieces of `size` characters, so every state crosses a chunk boundary somewhere. */
function split(text: string, options: SplitterOptions = {}, size = text.length): JsonElement[] {
  const splitter = new JsonArraySplitter(options);
  const out: JsonElement[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...splitter.push(text.slice(i, i + size)));
  out.push(...splitter.end());
  return out;
}

function splitError(text: string, options: SplitterOptions = {}): FeedParseError {
  try {
    split(text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(FeedParseError);
    return error as FeedParseError;
  }
  throw new Error('expected a FeedParseError');
}

const TRICKY = `{
  "meta": {"note": "a ] and a } and \\"quotes\\" [", "products": "not this"},
  "products": [
    {"id": "1", "name": "Brace } in \\\\ string", "tags": ["a", {"b": [1, 2]}]},
    "plain string, with comma",
    42,
    null,
    {"id": "2", "name": "Unicode \\u00e9 and \\n"}
  ],
  "items": [{"id": "ignored"}]
}`;

describe('JsonArraySplitter', () => {
  it('splits the first known array key, skipping strings that look like structure', () => {
    const elements = split(TRICKY);
    expect(elements.map((e) => JSON.parse(e.text) as unknown)).toEqual([
      { id: '1', name: 'Brace } in \\ string', tags: ['a', { b: [1, 2] }] },
      'plain string, with comma',
      42,
      null,
      { id: '2', name: 'Unicode é and \n' },
    ]);
    expect(elements.map((e) => [e.path, e.line])).toEqual([
      ['products[0]', 4],
      ['products[1]', 5],
      ['products[2]', 6],
      ['products[3]', 7],
      ['products[4]', 8],
    ]);
  });

  it.each([1, 2, 3, 7])('gives the same result with chunks of %i characters', (size) => {
    expect(split(TRICKY, {}, size)).toEqual(split(TRICKY));
  });

  it('handles a top-level array and an explicit nested path', () => {
    expect(split('[{"a":1} , {"a":2}]').map((e) => [e.text, e.path])).toEqual([['{"a":1}', '[0]'], ['{"a":2}', '[1]']]);
    const nested = '{"data": {"page": 1, "offers": [{"id": "x"}]}, "offers": []}';
    expect(split(nested, { arrayPath: 'data.offers' }).map((e) => e.text)).toEqual(['{"id": "x"}']);
    expect(split('{"weird key \\" ]": [1]}', { arrayPath: 'weird key " ]' }).map((e) => e.text)).toEqual(['1']);
  });

  it('yields nothing for an empty array', () => {
    expect(split('{"products": []}')).toEqual([]);
  });

  it('reports oversized elements without keeping them', () => {
    const [element] = split(`[{"d": "${'x'.repeat(500)}"}]`, { maxElementChars: 100 });
    expect(element).toMatchObject({ oversized: true, text: '', index: 0 });
  });

  it.each([
    ['', /The JSON document is empty/],
    ['   \n ', /The JSON document is empty/],
    ['sku,name\n1,a', /Not a JSON array or object: the document starts with "sku,name/],
    ['<?xml version="1.0"?>', /Not a JSON array or object/],
    ['[{"a": 1}, {"a": 2', /the object opened at line 1 is not closed \(truncated file\?\)/],
    ['[{"a": "unterminated}]', /the string opened at line 1 is not closed/],
    ['[{"a": 1]]', /Unexpected "\]": the object opened at line 1 is still open/],
    ['{"a": 1}\n{"a": 2}', /after the end of the JSON document \(is this JSON Lines/],
    ['{"meta": [1, 2]}', /No array of records found: expected a top-level array or an object with an array under one of: products/],
  ])('refuses %j', (text, message) => {
    expect(splitError(text).message).toMatch(message);
  });

  it('names the configured path when it is missing', () => {
    expect(splitError('{"products": []}', { arrayPath: 'data.items' }).message).toMatch(/an array at "data.items"/);
  });

  it('points at the line of the problem', () => {
    expect(splitError('[\n{"a": 1},\n{"a": 2}}\n]').position.line).toBe(3);
  });
});

import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { textArrayLiteral } from './text-array-literal.js';

// PostgreSQL's own array input is the judge: each literal must come back as the values it was made from.
const db = new PGlite();
afterAll(() => db.close());
// Elements are read one per row: PGlite's decoder of a returned array takes a NULL element for the text "NULL".
const roundTrip = async (values: (string | null)[]): Promise<(string | null)[]> =>
  (await db.query<{ v: string | null }>('select v from unnest($1::text::text[]) with ordinality u(v, n) order by n', [textArrayLiteral(values)])).rows.map((row) => row.v);

describe('textArrayLiteral', () => {
  it('is read back by PostgreSQL as the same values, whatever characters they hold', async () => {
    const values = ['plain', '', ' spaced ', 'a,b', '{braces}', 'quote " inside', 'back\\slash', '\\"', '"', '\\', 'NULL', 'null', 'line\nbreak\ttab', 'ünïcode ✓', '😀'];
    expect(await roundTrip(values)).toEqual(values);
  });

  it('writes null elements as SQL NULL, distinct from the text "NULL"', async () => {
    expect(await roundTrip([null, 'NULL', null])).toEqual([null, 'NULL', null]);
    expect(await roundTrip([null, null, null])).toEqual([null, null, null]);
    expect(await roundTrip(['a"b', null])).toEqual(['a"b', null]);
  });

  it('makes an empty array of no values', async () => {
    expect(textArrayLiteral([])).toBe('{}');
    expect(await roundTrip([])).toEqual([]);
  });
});

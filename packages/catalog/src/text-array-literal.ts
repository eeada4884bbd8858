/**
 * A text[] literal of the values, for a parameter declared as text and cast to text[] in SQL: one flat
 * string per column of a batch. The drivers' own array serializers quote and escape each element
 * through two regular expressions and a map and join, which made up a tenth of a first import's CPU.
 * Every element is quoted (so commas, braces, spaces and the word NULL stay text); only `"` and `\`
 * need escaping inside the quotes.
 */
export function textArrayLiteral(values: readonly (string | null)[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (i > 0) literal += ',';
    if (value === null) literal += 'NULL';
    else if (value.indexOf('"') === -1 && value.indexOf('\\') === -1) literal += '"' + value + '"';
    else literal += '"' + value.replace(ESCAPED, '\\$&') + '"';
  }
  return literal + '}';
}

const ESCAPED = /["\\]/g;

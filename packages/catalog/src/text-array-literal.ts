/**
 * A text[] literal of the values, for a parameter declared as text and cast to text[] in SQL: one flat
 * string per column of a batch. The drivers' own array serializers quote and escape each element
 * through two regular expressions, a tenth of the worker's CPU in a first import (see BENCHMARKS.md).
 * Every element is quoted (so commas, braces, spaces and the word NULL stay text); only `"` and `\`
 * need escaping inside the quotes. The quotes go in as join separators: no string is built per element.
 */
export function textArrayLiteral(values: readonly (string | null)[]): string {
  if (values.length === 0) return '{}';
  const escaped: (string | null)[] = new Array<string | null>(values.length);
  let nulls = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value === null) nulls++;
    escaped[i] = value === null || (value.indexOf('"') === -1 && value.indexOf('\\') === -1) ? value : value.replace(ESCAPED, '\\$&');
  }
  if (nulls === 0) return '{"' + escaped.join('","') + '"}';
  if (nulls === values.length) return '{' + 'NULL,'.repeat(values.length - 1) + 'NULL}';
  return '{' + escaped.map((value) => (value === null ? 'NULL' : '"' + value + '"')).join(',') + '}';
}

const ESCAPED = /["\\]/g;

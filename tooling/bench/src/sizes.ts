// Command-line values: sizes such as 10k, 100k, 1M and plain counts.

export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!match) throw new Error(`Not a size: "${text}" (use e.g. 10k, 100k, 1M or 5000)`);
  const factor = { '': 1, k: 1_000, m: 1_000_000 }[match[2]!.toLowerCase() as '' | 'k' | 'm'];
  const value = Math.round(Number(match[1]) * factor);
  if (value < 1) throw new Error(`A size must be at least 1, got "${text}"`);
  return value;
}

/** Like parseSize, but 0 is allowed (a scenario switched off). */
export function parseCount(text: string): number {
  return text.trim() === '0' ? 0 : parseSize(text);
}

export function parseSizes(text: string): number[] {
  const sizes = text.split(',').filter((part) => part.trim() !== '').map(parseSize);
  if (sizes.length === 0) throw new Error('--sizes needs at least one size, e.g. --sizes 10k,100k');
  return [...new Set(sizes)].sort((a, b) => a - b);
}

export function sizeLabel(products: number): string {
  if (products >= 1_000_000 && products % 1_000_000 === 0) return `${products / 1_000_000}M`;
  if (products >= 1_000 && products % 1_000 === 0) return `${products / 1_000}k`;
  return String(products);
}

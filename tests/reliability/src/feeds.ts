// Supplier feeds generated at test time (big ones are never committed).

/** A semicolon CSV of `count` products `<prefix>-1..count`; `price` varies them between runs. */
export function csvFeed(count: number, options: { prefix?: string; price?: (i: number) => number; start?: number } = {}): string {
  const prefix = options.prefix ?? 'sku';
  const start = options.start ?? 1;
  const lines = ['sku;name;price;currency'];
  for (let i = start; i < start + count; i++) lines.push(`${prefix}-${i};Tent ${i};${(options.price?.(i) ?? (i % 900) + 10).toFixed(2)};EUR`);
  return lines.join('\n') + '\n';
}

/** Byte length formatted in MiB, for the figures the suite prints. */
export function mib(bytes: number | undefined): string {
  return bytes === undefined ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

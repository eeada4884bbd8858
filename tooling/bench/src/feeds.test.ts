import { describe, expect, it } from 'vitest';
import { CSV_HEADER, feedChunks, product } from './feeds.js';

const text = (spec: Parameters<typeof feedChunks>[0]) => [...feedChunks(spec)].join('');

describe('feedChunks', () => {
  it('writes the same feed every time', () => {
    expect(text({ format: 'csv', products: 2500 })).toBe(text({ format: 'csv', products: 2500 }));
    expect(text({ format: 'yml', products: 3 })).toBe(text({ format: 'yml', products: 3 }));
  });

  it('has one CSV row per product after the header', () => {
    const lines = text({ format: 'csv', products: 1001 }).trimEnd().split('\n');
    expect(lines[0] + '\n').toBe(CSV_HEADER);
    expect(lines).toHaveLength(1002);
    expect(lines[1001]).toBe('sku-1001;Tent model 1001;14.50;EUR;Brand 1;Camping > Tents');
  });

  it('has one YML offer per product in a closed catalogue', () => {
    const yml = text({ format: 'yml', products: 5 });
    expect(yml.match(/<offer /g)).toHaveLength(5);
    expect(yml.trimEnd().endsWith('</yml_catalog>')).toBe(true);
  });

  it('changes the price of exactly every n-th product in the changed variant', () => {
    const changed = Array.from({ length: 1000 }, (_, i) => i + 1).filter((i) => product(i, 100).price !== product(i).price);
    expect(changed).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(product(100, 100).name).toBe(product(100).name);
  });
});

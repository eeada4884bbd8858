import { describe, expect, it } from 'vitest';
import { parseCount, parseSize, parseSizes, sizeLabel } from './sizes.js';

describe('sizes', () => {
  it('reads 10k, 1M and plain counts', () => {
    expect(parseSizes('100k,10k,1M')).toEqual([10_000, 100_000, 1_000_000]);
    expect(parseSize('2500')).toBe(2500);
    expect(parseSize('1.5k')).toBe(1500);
  });

  it('refuses what is not a size', () => {
    expect(() => parseSize('ten')).toThrow('Not a size: "ten"');
    expect(() => parseSize('0')).toThrow('at least 1');
    expect(() => parseSizes(',')).toThrow('at least one size');
    expect(parseCount('0')).toBe(0);
  });

  it('labels sizes the way they are written', () => {
    expect([10_000, 100_000, 1_000_000, 1_234].map(sizeLabel)).toEqual(['10k', '100k', '1M', '1234']);
  });
});

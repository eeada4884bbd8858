import { describe, expect, it } from 'vitest';
import { SeenIds } from './seen-ids.js';

describe('SeenIds', () => {
  it('returns the first record of a repeated id, and nothing for a new one', () => {
    const seen = new SeenIds(16);
    expect(seen.firstSeen('sku-1', 1)).toBeUndefined();
    expect(seen.firstSeen('sku-2', 2)).toBeUndefined();
    expect(seen.firstSeen('sku-1', 7)).toBe(1);
    expect(seen.firstSeen('SKU-1', 8)).toBeUndefined();
    expect(seen.size).toBe(3);
  });

  it('keeps every id distinct across growth (200k ids, each repeated once)', () => {
    const seen = new SeenIds(16);
    // Counted rather than asserted per id: 400k expect() calls are slow on a loaded machine.
    let fresh = 0;
    for (let i = 1; i <= 200_000; i++) if (seen.firstSeen(`sku-${i}`, i) === undefined) fresh++;
    expect(fresh).toBe(200_000);
    let repeats = 0;
    for (let i = 1; i <= 200_000; i++) if (seen.firstSeen(`sku-${i}`, 300_000 + i) === i) repeats++;
    expect(repeats).toBe(200_000);
    expect(seen.size).toBe(200_000);
  }, 30_000);

  it('handles non-ASCII ids', () => {
    const seen = new SeenIds();
    expect(seen.firstSeen('палатка-1', 1)).toBeUndefined();
    expect(seen.firstSeen('палатка-2', 2)).toBeUndefined();
    expect(seen.firstSeen('палатка-1', 3)).toBe(1);
  });
});

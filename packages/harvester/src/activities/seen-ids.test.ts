import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SeenIds as SeenIdsIn } from './seen-ids.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seen-ids-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

// Every set in these tests keeps its files in the test's own directory.
class SeenIds extends SeenIdsIn {
  constructor(options: ConstructorParameters<typeof SeenIdsIn>[0] = {}) {
    super({ dir, ...options });
  }
}

describe('SeenIds', () => {
  it('returns the first record of a repeated id, and nothing for a new one', () => {
    const seen = new SeenIds();
    expect(seen.firstSeen('sku-1', 1)).toBeUndefined();
    expect(seen.firstSeen('sku-2', 2)).toBeUndefined();
    expect(seen.firstSeen('sku-1', 7)).toBe(1);
    expect(seen.firstSeen('SKU-1', 8)).toBeUndefined();
    expect(seen.size).toBe(3);
  });

  it('keeps every id distinct across merges (200k ids, each repeated once)', () => {
    const seen = new SeenIds({ recentEntries: 1000 });
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

  // Hashes chosen by the test: ids "h1:h2" share buckets, first hashes or nothing, as the test picks.
  const chosen = (id: string): [number, number] => id.split(':').map(Number) as [number, number];

  it('tells ids apart that share a first hash, in the recent table and after merging', () => {
    const seen = new SeenIds({ recentEntries: 4, hashes: chosen });
    const sameFirst = [0x12345678, 0x12345678, 0x12345678, 0x12345678, 0x12345678].map((h1, i) => `${h1}:${i}`);
    sameFirst.forEach((id, i) => expect(seen.firstSeen(id, i + 1)).toBeUndefined());
    // Four merged, the fifth still recent.
    sameFirst.forEach((id, i) => expect(seen.firstSeen(id, 100 + i)).toBe(i + 1));
    expect(seen.firstSeen(`${0x12345678}:99`, 200)).toBeUndefined();
    expect(seen.firstSeen(`${0x12345679}:0`, 201)).toBeUndefined();
    expect(seen.size).toBe(7);
  });

  it('agrees with a Map on random ids crowded into few hashes, through runs written, merged and searched', () => {
    let state = 42;
    const random = (below: number): number => {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      return state % below;
    };
    // First hashes at both ends of the range and in a few shared buckets; second hashes from a small set.
    const firsts = [0, 1, 0xffff, 0x10000, 0x1ffff, 0x7fffffff, 0x80000000, 0xfffeffff, 0xffff0000, 0xffffffff];
    for (const recentEntries of [1, 3, 64]) {
      const seen = new SeenIds({ recentEntries, hashes: chosen });
      const model = new Map<string, number>();
      let mismatches = 0;
      for (let record = 1; record <= 5_000; record++) {
        const id = `${firsts[random(firsts.length)]}:${random(60)}`;
        const expected = model.get(id);
        if (expected === undefined) model.set(id, record);
        if (seen.firstSeen(id, record) !== expected) mismatches++;
      }
      expect(mismatches).toBe(0);
      expect(seen.size).toBe(model.size);
    }
  });

  it('keeps a million ids in their order of first sight, in under 5 MB of memory', () => {
    const seen = new SeenIds();
    let wrong = 0;
    for (let i = 1; i <= 1_000_000; i++) if (seen.firstSeen(`SKU-${i}`, i) !== undefined) wrong++;
    for (let i = 1; i <= 1_000_000; i += 997) if (seen.firstSeen(`SKU-${i}`, 2_000_000) !== i) wrong++;
    expect(wrong).toBe(0);
    expect(seen.size).toBe(1_000_000);
    // 12 bytes per id would be 12 MB; the runs on disk hold them.
    expect(seen.memoryBytes).toBeLessThan(5_000_000);
    // Runs of equal size are merged: 1M ids in 30 runs of 32,768 (and the rest recent) make 4 runs.
    expect(readdirSync(dir).length).toBeLessThanOrEqual(5);
  }, 60_000);

  it('writes its runs to files in its directory, and removes them when cleared', () => {
    const seen = new SeenIds({ recentEntries: 100 });
    for (let i = 1; i <= 1_000; i++) seen.firstSeen(`sku-${i}`, i);
    // 10 runs of 100 merged as a binary counter: 800 + 200.
    expect(readdirSync(dir).length).toBe(2);
    seen.clear();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails loudly when a run file is gone, rather than taking a repeat for a new id', () => {
    const seen = new SeenIds({ recentEntries: 4 });
    for (let i = 1; i <= 8; i++) seen.firstSeen(`sku-${i}`, i);
    for (const file of readdirSync(dir)) rmSync(join(dir, file));
    expect(() => seen.firstSeen('sku-2', 9)).toThrow(/ENOENT/);
  });

  it('forgets every id when cleared, and works on afterwards', () => {
    const seen = new SeenIds({ recentEntries: 4 });
    for (let i = 1; i <= 10; i++) seen.firstSeen(`sku-${i}`, i);
    seen.clear();
    expect(seen.size).toBe(0);
    expect(seen.firstSeen('sku-3', 1)).toBeUndefined();
    for (let i = 4; i <= 10; i++) expect(seen.firstSeen(`sku-${i}`, i)).toBeUndefined();
    expect(seen.firstSeen('sku-9', 11)).toBe(9);
    expect(seen.firstSeen('sku-3', 12)).toBe(1);
    expect(seen.size).toBe(8);
  });
});

import { describe, expect, it } from 'vitest';
import { IdFilter } from './id-filter.js';

/** Deterministic pseudo-random 32-bit values (xorshift), so the rates below do not vary between runs. */
function randoms(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

describe('IdFilter', () => {
  it('holds every id added, up to and past its capacity', () => {
    const filter = new IdFilter(100_000);
    const next = randoms(7);
    const added: Array<[number, number]> = Array.from({ length: 150_000 }, () => [next(), next()]);
    for (const [a, b] of added) filter.add(a, b);
    expect(added.filter(([a, b]) => !filter.mayHold(a, b)).length).toBe(0);
  });

  it('takes about one id in a thousand for one it holds, at its capacity', () => {
    const filter = new IdFilter(200_000);
    const next = randoms(11);
    for (let i = 0; i < 200_000; i++) filter.add(next(), next());
    let maybe = 0;
    for (let i = 0; i < 1_000_000; i++) if (filter.mayHold(next(), next())) maybe++;
    expect(maybe / 1_000_000).toBeLessThan(0.0012);
    expect(filter.bytes).toBe(400_000);
  });

  it('holds nothing when empty, and is one block when sized for none', () => {
    const filter = new IdFilter(0);
    expect(filter.bytes).toBe(64);
    expect(filter.mayHold(1, 2)).toBe(false);
    filter.add(1, 2);
    expect(filter.mayHold(1, 2)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { Fingerprint } from './fingerprint.js';

const of = (...pieces: string[]): string => {
  const fingerprint = new Fingerprint();
  for (const piece of pieces) fingerprint.add(piece).mark(0);
  return fingerprint.digest();
};

describe('Fingerprint', () => {
  it('is 16 hex digits, the same for the same pieces and after a reset', () => {
    expect(of('sku-1', 'Tent')).toMatch(/^[0-9a-f]{16}$/);
    expect(of('sku-1', 'Tent')).toBe(of('sku-1', 'Tent'));
    const reused = new Fingerprint().add('something else');
    expect(reused.reset().add('sku-1').mark(0).add('Tent').mark(0).digest()).toBe(of('sku-1', 'Tent'));
  });

  it('tells pieces apart by where they are cut, and marks from characters', () => {
    expect(of('ab', 'c')).not.toBe(of('a', 'bc'));
    expect(of('', 'abc')).not.toBe(of('abc', ''));
    expect(new Fingerprint().add('a').mark(1).digest()).not.toBe(new Fingerprint().add('a').mark(2).digest());
    expect(new Fingerprint().add('a\u0000').digest()).not.toBe(new Fingerprint().add('a').mark(0).digest());
  });

  it('tells a piece of odd length from the same piece with one more code unit of any value', () => {
    for (const piece of ['x', 'abc', 'sku-12']) {
      for (const unit of [0, 1, 0x4000, 0x8000, 0xffff]) {
        const longer = piece + String.fromCharCode(unit);
        expect(of(longer), JSON.stringify(longer)).not.toBe(of(piece));
        expect(new Fingerprint().add(longer).digest()).not.toBe(new Fingerprint().add(piece).digest());
      }
    }
  });

  it('changes when two neighbouring code units are swapped', () => {
    const base = 'sku-1;Tent model 1;10.50;EUR';
    for (let i = 0; i + 1 < base.length; i++) {
      if (base[i] === base[i + 1]) continue;
      const swapped = base.slice(0, i) + base[i + 1] + base[i] + base.slice(i + 2);
      expect(of(swapped)).not.toBe(of(base));
    }
  });

  it('changes with any one code unit, and collides for none of a hundred thousand near-identical rows', () => {
    const base = 'sku-1;Tent model 1;10.50;EUR;Brand 1;Camping > Tents';
    for (let i = 0; i < base.length; i++) {
      const changed = base.slice(0, i) + String.fromCharCode(base.charCodeAt(i) + 1) + base.slice(i + 1);
      expect(of(changed)).not.toBe(of(base));
    }
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(of(`sku-${i}`, `Tent model ${i}`, `${(i % 997) + 10}.50`));
    expect(seen.size).toBe(100_000);
  });
});

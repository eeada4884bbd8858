import { describe, expect, it } from 'vitest';
import { readingAhead } from './reading-ahead.js';

function tracked(count: number, failAt?: number) {
  const log: string[] = [];
  async function* source() {
    try {
      for (let i = 1; i <= count; i++) {
        log.push(`read ${i}`);
        if (i === failAt) throw new Error(`read ${i} failed`);
        yield i;
      }
    } finally {
      log.push('closed');
    }
  }
  return { log, source: source() };
}

describe('readingAhead', () => {
  it('yields every item in order, reading the next one before the current one is handled', async () => {
    const { log, source } = tracked(3);
    const seen: number[] = [];
    for await (const item of readingAhead(source)) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      log.push(`handled ${item}`);
      seen.push(item);
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(log).toEqual(['read 1', 'read 2', 'handled 1', 'read 3', 'handled 2', 'closed', 'handled 3']);
  });

  it('closes the source when the caller stops early', async () => {
    const { log, source } = tracked(5);
    await expect(
      (async () => {
        for await (const item of readingAhead(source)) if (item === 2) throw new Error('statement failed');
      })(),
    ).rejects.toThrow('statement failed');
    expect(log.at(-1)).toBe('closed');
    expect(log).not.toContain('read 4');
  });

  it('passes on a failure of the source where its item would have been', async () => {
    const { source } = tracked(5, 3);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of readingAhead(source)) seen.push(item);
      })(),
    ).rejects.toThrow('read 3 failed');
    expect(seen).toEqual([1, 2]);
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { inOrderedLanes } from './ordered-lanes.js';

async function* numbers(count: number, log?: string[]): AsyncGenerator<number> {
  for (let n = 0; n < count; n++) {
    log?.push(`read ${n}`);
    yield n;
  }
}

describe('inOrderedLanes', () => {
  it('runs up to `lanes` items at once and calls `done` in item order', async () => {
    let running = 0;
    let most = 0;
    const finished: number[] = [];
    const done: number[] = [];
    // Later items finish first: `done` must still follow item order.
    await inOrderedLanes(numbers(8), 3, async (n) => {
      running++;
      most = Math.max(most, running);
      await sleep(40 - n * 4);
      finished.push(n);
      running--;
      return n * 10;
    }, (result, n) => {
      expect(result).toBe(n * 10);
      done.push(n);
    });
    expect(most).toBe(3);
    expect(finished).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('with one lane, reads the next item only after the current one is done', async () => {
    const log: string[] = [];
    await inOrderedLanes(numbers(3, log), 1, async (n) => {
      await sleep(5);
      log.push(`work ${n}`);
    }, () => undefined);
    expect(log).toEqual(['read 0', 'work 0', 'read 1', 'work 1', 'read 2', 'work 2']);
  });

  it('after a failure: no later `done`, reading stops, and the earliest failure is thrown', async () => {
    const log: string[] = [];
    const done: number[] = [];
    const failing = inOrderedLanes(numbers(100, log), 2, async (n) => {
      // Item 3 fails after item 4 has failed on its own: 3's error is the one reported.
      if (n === 4) throw new Error('four');
      await sleep(20);
      if (n === 3) throw new Error('three');
    }, (_, n) => void done.push(n));
    await expect(failing).rejects.toThrow('three');
    expect(done).toEqual([0, 1, 2]);
    expect(log.length).toBeLessThan(10);
  });

  it('waits for the items in flight before throwing a failure of the items themselves', async () => {
    let settled = false;
    async function* failingRead(): AsyncGenerator<number> {
      yield 0;
      throw new Error('bad feed');
    }
    const run = inOrderedLanes(failingRead(), 2, async () => {
      await sleep(30);
      settled = true;
    }, () => undefined);
    await expect(run).rejects.toThrow('bad feed');
    expect(settled).toBe(true);
  });

  it('refuses a lane count that is not a whole number of at least 1', async () => {
    await expect(inOrderedLanes(numbers(1), 0, async () => undefined, () => undefined)).rejects.toThrow('lanes must be a whole number of at least 1, got 0');
  });
});

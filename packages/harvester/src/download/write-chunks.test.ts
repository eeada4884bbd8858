import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeAll, writeChunks } from './write-chunks.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'write-chunks-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Chunks of uneven sizes, empty ones among them, about 3.5 MiB in all. */
function unevenChunks(): Buffer[] {
  const sizes = [0, 1, 65_536, 70_000, 0, 1_048_575, 1, 1_048_577, 333, 65_536, 1_200_000, 7];
  return sizes.map((size) => randomBytes(size));
}

async function* from(chunks: Buffer[], fail?: { after: number; error: Error }): AsyncGenerator<Buffer> {
  for (const [i, chunk] of chunks.entries()) {
    if (fail && i === fail.after) throw fail.error;
    yield chunk;
  }
}

const openDescriptors = async (): Promise<number> => (await readdir('/proc/self/fd')).length;

describe('writeChunks', () => {
  it('writes every chunk, in order, whatever their sizes', async () => {
    const chunks = unevenChunks();
    const path = join(dir, 'feed');
    await writeChunks(from(chunks), path);
    expect((await readFile(path)).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('writes a batch of more chunks than one system call takes (1,024)', async () => {
    const chunks = Array.from({ length: 5_000 }, (_, i) => Buffer.from(`<offer id="${i}"/>\n`));
    const path = join(dir, 'small-chunks');
    await writeChunks(from(chunks), path);
    expect((await readFile(path)).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('writes an empty file for an empty source', async () => {
    const path = join(dir, 'empty');
    await writeChunks(from([]), path);
    expect((await readFile(path)).length).toBe(0);
  });

  it("rethrows the source's error and closes the file", async () => {
    const before = await openDescriptors();
    const path = join(dir, 'failed');
    const error = new Error('connection reset');
    await expect(writeChunks(from(unevenChunks(), { after: 9, error }), path)).rejects.toBe(error);
    expect(await openDescriptors()).toBe(before);
  });

  it("stops with the signal's reason once aborted", async () => {
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    async function* abortingSource(): AsyncGenerator<Buffer> {
      yield Buffer.from('first');
      controller.abort(reason);
      yield Buffer.from('second');
      yield Buffer.from('third');
    }
    await expect(writeChunks(abortingSource(), join(dir, 'aborted'), controller.signal)).rejects.toBe(reason);
  });
});

describe('writeAll', () => {
  it('writes the rest again after a short write', async () => {
    const path = join(dir, 'short');
    const file = await open(path, 'w');
    const buffers = unevenChunks();
    const size = buffers.reduce((sum, b) => sum + b.length, 0);
    let calls = 0;
    // A real file whose writes stop after 100,003 bytes each time, as writev may.
    const short = {
      writev: (given: Buffer[]) => {
        calls++;
        return file.writev([Buffer.concat(given).subarray(0, 100_003)]);
      },
    };
    try {
      await writeAll(short, buffers, size);
    } finally {
      await file.close();
    }
    expect(calls).toBe(Math.ceil(size / 100_003));
    expect((await readFile(path)).equals(Buffer.concat(buffers))).toBe(true);
  });

  it('fails when nothing more can be written', async () => {
    const stuck = { writev: async (given: Buffer[]) => ({ bytesWritten: 0, buffers: given }) };
    await expect(writeAll(stuck, [Buffer.from('abc')], 3)).rejects.toThrow('3 bytes unwritten');
  });
});

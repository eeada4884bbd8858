import { open } from 'node:fs/promises';

/** Chunks are gathered up to this size and written with one call. */
const WRITE_BYTES = 1024 * 1024;

/** The one method of a file handle `writeAll` uses. */
export interface VectorWriter {
  writev(buffers: Buffer[]): Promise<{ bytesWritten: number }>;
}

/** `writev` may write less than it was given (a full disk, a signal); the rest is written again. */
export async function writeAll(file: VectorWriter, buffers: Buffer[], size: number): Promise<void> {
  let left = buffers;
  let remaining = size;
  for (;;) {
    const { bytesWritten } = await file.writev(left);
    remaining -= bytesWritten;
    if (remaining <= 0) return;
    if (bytesWritten === 0) throw new Error(`writing the staged feed stopped with ${remaining} bytes unwritten`);
    let skip = bytesWritten;
    const rest: Buffer[] = [];
    for (const buffer of left) {
      if (skip >= buffer.length) skip -= buffer.length;
      else {
        rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
        skip = 0;
      }
    }
    left = rest;
  }
}

/**
 * Writes `chunks` to a new file at `path`, gathering them into writes of about
 * 1 MiB, with one write in flight while the next is gathered. A file write
 * stream's buffer (16 KiB) is smaller than one network chunk (64 KiB), so
 * piped into one, every chunk waited for its own write before the next was
 * read. The file is closed before this returns or throws; a failed file is
 * left for the caller to remove.
 */
export async function writeChunks(chunks: AsyncIterable<Buffer>, path: string, signal?: AbortSignal): Promise<void> {
  const file = await open(path, 'w');
  let pending: Promise<unknown> | undefined;
  try {
    let batch: Buffer[] = [];
    let size = 0;
    for await (const chunk of chunks) {
      signal?.throwIfAborted();
      batch.push(chunk);
      size += chunk.length;
      if (size >= WRITE_BYTES) {
        await pending;
        pending = writeAll(file, batch, size);
        batch = [];
        size = 0;
      }
    }
    await pending;
    pending = undefined;
    if (batch.length > 0) await writeAll(file, batch, size);
  } finally {
    // A write still running when the source failed must settle before the file closes.
    await pending?.catch(() => undefined);
    await file.close();
  }
}

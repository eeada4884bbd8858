import { pipeline } from 'node:stream/promises';
import type { Transform } from 'node:stream';

// A deflate stream can expand ~1000:1, and zlib inflates a written chunk in full before
// pausing, so input is fed in small slices to keep each burst of output small.
const SLICE_BYTES = 16 * 1024;

async function* slices(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    for (let at = 0; at < chunk.length; at += SLICE_BYTES) yield chunk.subarray(at, at + SLICE_BYTES);
  }
}

/**
 * Runs `source` through a zlib decompressor (createGunzip, createInflateRaw, ...) and
 * yields its output as it is pulled, so nothing is buffered beyond the stream's own
 * high-water mark. An error from the source or from zlib (e.g. a truncated stream)
 * is thrown from the iteration.
 */
export async function* inflateChunks(source: AsyncIterable<Buffer>, inflater: Transform): AsyncGenerator<Buffer> {
  let feedError: unknown;
  const feeding = pipeline(slices(source), inflater).catch((error: unknown) => {
    feedError = error;
  });
  let completed = false;
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
    completed = true;
  } finally {
    // Stopping early (an error downstream) must not leave the inflater or its source running.
    if (!completed) inflater.destroy();
  }
  await feeding;
  if (feedError !== undefined) throw feedError;
}

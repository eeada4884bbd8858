import zlib from 'node:zlib';
import { FeedNotAFeedError, FeedTooLargeError } from './errors.js';
import { extractZipFeed } from './extract-zip-entry.js';
import { inflateChunks } from './inflate-chunks.js';
import { writeChunks } from './write-chunks.js';

export type FeedCompression = 'none' | 'gzip' | 'zip';

export interface DecodeFeedBodyOptions {
  url: URL;
  /** The response's Content-Encoding header. */
  contentEncoding?: string | undefined;
  /** Where a zip archive is kept while it is read; the caller deletes it. */
  scratchPath: string;
  maxBytes: number;
  maxZipEntries: number;
}

/** What decoding found; filled in as the body is read. */
export interface DecodeInfo {
  compression: FeedCompression;
  /** Name of the extracted entry, for a zip. */
  entryName?: string;
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Reads the first `bytes` bytes and returns them with a stream that still starts at byte 0. */
async function peek(source: AsyncIterable<Buffer>, bytes: number): Promise<{ head: Buffer; all: AsyncGenerator<Buffer> }> {
  const iterator = source[Symbol.asyncIterator]();
  const taken: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    taken.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(taken);
  async function* all(): AsyncGenerator<Buffer> {
    try {
      if (head.length > 0) yield head;
      while (!done) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      if (!done) await iterator.return?.();
    }
  }
  return { head, all: all() };
}

function contentDecoded(source: AsyncIterable<Buffer>, options: DecodeFeedBodyOptions, info: DecodeInfo): AsyncIterable<Buffer> {
  const encoding = (options.contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return source;
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    info.compression = 'gzip';
    return inflateChunks(source, zlib.createGunzip());
  }
  // Only gzip is requested (Accept-Encoding), so anything else is a misbehaving server.
  throw new FeedNotAFeedError({ url: options.url, detail: `unsupported Content-Encoding "${encoding}" (only gzip was requested)` });
}

async function* limited(source: AsyncIterable<Buffer>, options: DecodeFeedBodyOptions): AsyncGenerator<Buffer> {
  let bytes = 0;
  for await (const chunk of source) {
    bytes += chunk.length;
    if (bytes > options.maxBytes) {
      throw new FeedTooLargeError({ url: options.url, limit: options.maxBytes, detail: 'the zip archive alone is larger' });
    }
    yield chunk;
  }
}

/**
 * Undoes the layers a feed arrives in: the response's Content-Encoding (gzip), then
 * whatever the content itself is, recognized by its magic bytes rather than its name,
 * since servers often label files wrongly: gzip (a .gz file) or zip (PK\x03\x04). A zip
 * is first written whole to `scratchPath`, since its directory sits at the end; its
 * feed entry is then streamed out. Everything else passes through unchanged.
 */
export function decodeFeedBody(
  source: AsyncIterable<Buffer>,
  options: DecodeFeedBodyOptions,
): { chunks: AsyncGenerator<Buffer>; info: DecodeInfo } {
  const info: DecodeInfo = { compression: 'none' };
  async function* chunks(): AsyncGenerator<Buffer> {
    const { head, all } = await peek(contentDecoded(source, options, info), ZIP_MAGIC.length);
    if (head.subarray(0, GZIP_MAGIC.length).equals(GZIP_MAGIC)) {
      info.compression = 'gzip';
      yield* inflateChunks(all, zlib.createGunzip());
    } else if (head.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC)) {
      info.compression = 'zip';
      await writeChunks(limited(all, options), options.scratchPath);
      yield* extractZipFeed({
        url: options.url,
        path: options.scratchPath,
        maxBytes: options.maxBytes,
        maxEntries: options.maxZipEntries,
        onEntry: (entry) => {
          info.entryName = entry.name;
        },
      });
    } else {
      yield* all;
    }
  }
  return { chunks: chunks(), info };
}

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import zlib from 'node:zlib';
import { FeedCorruptError, FeedNotAFeedError, FeedTooLargeError, formatBytes } from './errors.js';
import { inflateChunks } from './inflate-chunks.js';
import { readZipDirectory } from './zip-directory.js';
import type { ZipEntry } from './zip-directory.js';

export interface ExtractZipFeedOptions {
  url: URL;
  /** The downloaded archive, complete on disk. */
  path: string;
  /** Largest decompressed size accepted. */
  maxBytes: number;
  maxEntries: number;
  /** Told which entry was chosen, before its first byte is yielded. */
  onEntry?: (entry: ZipEntry) => void;
}

const LOCAL_SIGNATURE = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;
// Files zip tools add beside the real content.
const NOISE = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|\._)/;

// zlib.crc32 arrived in Node 20.15; older 20.x get a table-driven fallback.
const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
const crc32: (data: Buffer, value?: number) => number =
  typeof zlib.crc32 === 'function'
    ? zlib.crc32
    : (data, value = 0) => {
        let crc = ~value;
        for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
        return ~crc >>> 0;
      };

/** The feed inside an archive: its only file, or else the largest one. */
export function chooseFeedEntry(entries: readonly ZipEntry[], url: URL): ZipEntry {
  const files = entries.filter((entry) => !entry.name.endsWith('/') && !NOISE.test(entry.name));
  const chosen = files.reduce<ZipEntry | undefined>(
    (best, entry) => (best === undefined || entry.uncompressedSize > best.uncompressedSize ? entry : best),
    undefined,
  );
  if (!chosen) throw new FeedNotAFeedError({ url, detail: 'the zip archive holds no file' });
  return chosen;
}

function checkSupported(entry: ZipEntry, options: ExtractZipFeedOptions): void {
  const { url, maxBytes } = options;
  if (entry.flags & 0x1) throw new FeedNotAFeedError({ url, detail: `zip entry "${entry.name}" is encrypted` });
  if (entry.method !== STORED && entry.method !== DEFLATED) {
    throw new FeedNotAFeedError({ url, detail: `zip entry "${entry.name}" uses compression method ${entry.method}; only stored and deflate are supported` });
  }
  if (entry.uncompressedSize > maxBytes) {
    throw new FeedTooLargeError({ url, limit: maxBytes, detail: `zip entry "${entry.name}" declares ${formatBytes(entry.uncompressedSize)}` });
  }
}

async function locateData(entry: ZipEntry, options: ExtractZipFeedOptions): Promise<number> {
  const handle = await open(options.path, 'r');
  try {
    const header = Buffer.alloc(30);
    const { bytesRead } = await handle.read(header, 0, 30, entry.localHeaderOffset);
    if (bytesRead < 30 || header.readUInt32LE(0) !== LOCAL_SIGNATURE) {
      throw new FeedCorruptError({ url: options.url, detail: `zip entry "${entry.name}" has no valid local header` });
    }
    const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (start + entry.compressedSize > (await handle.stat()).size) {
      throw new FeedCorruptError({ url: options.url, detail: `zip entry "${entry.name}" is truncated` });
    }
    return start;
  } finally {
    await handle.close();
  }
}

/**
 * Streams the feed entry of a zip archive on disk, decompressed. Zip bombs are refused:
 * the entry count is limited, the declared size must fit `maxBytes`, and output beyond
 * the declared size (a lying header) stops the extraction. The size and CRC-32 are
 * verified at the end, so a damaged entry is an error, never a short file.
 */
export async function* extractZipFeed(options: ExtractZipFeedOptions): AsyncGenerator<Buffer> {
  const { url } = options;
  const handle = await open(options.path, 'r');
  let entry: ZipEntry;
  try {
    entry = chooseFeedEntry(await readZipDirectory(handle, { url, maxEntries: options.maxEntries }), url);
  } finally {
    await handle.close();
  }
  checkSupported(entry, options);
  const start = await locateData(entry, options);
  options.onEntry?.(entry);
  const damaged = (detail: string, cause?: unknown) => new FeedCorruptError({ url, detail: `zip entry "${entry.name}" ${detail}`, cause });
  if (entry.compressedSize === 0) {
    if (entry.uncompressedSize === 0) return;
    throw damaged('has no data');
  }

  const raw = createReadStream(options.path, { start, end: start + entry.compressedSize - 1, highWaterMark: 64 * 1024 });
  const chunks = entry.method === DEFLATED ? inflateChunks(raw, zlib.createInflateRaw()) : raw;
  let size = 0;
  let crc = 0;
  try {
    for await (const chunk of chunks as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > entry.uncompressedSize) throw damaged(`inflates beyond its declared ${entry.uncompressedSize} bytes`);
      crc = crc32(chunk, crc);
      yield chunk;
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) throw damaged(`is truncated or damaged (${(error as Error).message})`, error);
    throw error;
  } finally {
    raw.destroy();
  }
  if (size !== entry.uncompressedSize) throw damaged(`inflated to ${size} bytes, not the declared ${entry.uncompressedSize}`);
  if (crc !== entry.crc32) throw damaged('fails its CRC-32 check');
}

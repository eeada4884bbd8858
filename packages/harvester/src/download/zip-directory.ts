import type { FileHandle } from 'node:fs/promises';
import { FeedCorruptError, FeedNotAFeedError } from './errors.js';

/**
 * Reads the central directory of a zip file on disk: the authoritative list of
 * entries with their sizes, which (unlike local headers) is complete even when the
 * archive was written with data descriptors. Supports Zip64; refuses split archives.
 */

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export interface ReadZipDirectoryOptions {
  url: URL;
  /** Refuse archives with more entries than this (a feed archive holds a handful). */
  maxEntries: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
// Generous for any sane entry count; a bigger directory is refused, never read whole.
const MAX_DIRECTORY_BYTES = 16 * 1024 * 1024;

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

interface DirectoryLocation {
  entries: number;
  size: number;
  offset: number;
}

async function locateDirectory(handle: FileHandle, fileSize: number, url: URL): Promise<DirectoryLocation> {
  const corrupt = (detail: string) => new FeedCorruptError({ url, detail });
  const tailLength = Math.min(fileSize, EOCD_SIZE + MAX_COMMENT);
  const tail = await readAt(handle, fileSize - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i -= 1) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE && i + EOCD_SIZE + tail.readUInt16LE(i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) throw corrupt('zip archive has no end-of-central-directory record (truncated download?)');
  const eocdOffset = fileSize - tailLength + at;
  if (tail.readUInt16LE(at + 4) !== 0 || tail.readUInt16LE(at + 6) !== 0) {
    throw new FeedNotAFeedError({ url, detail: 'split (multi-volume) zip archives are not supported' });
  }
  let location: DirectoryLocation = {
    entries: tail.readUInt16LE(at + 10),
    size: tail.readUInt32LE(at + 12),
    offset: tail.readUInt32LE(at + 16),
  };
  if (location.entries === 0xffff || location.size === 0xffffffff || location.offset === 0xffffffff) {
    const locator = await readAt(handle, eocdOffset - 20, 20);
    if (locator.length < 20 || locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIGNATURE) throw corrupt('Zip64 locator is missing');
    const record = await readAt(handle, Number(locator.readBigUInt64LE(8)), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw corrupt('Zip64 end record is missing');
    location = {
      entries: Number(record.readBigUInt64LE(32)),
      size: Number(record.readBigUInt64LE(40)),
      offset: Number(record.readBigUInt64LE(48)),
    };
  }
  if (location.offset + location.size > eocdOffset) throw corrupt('zip central directory lies outside the archive');
  return location;
}

function applyZip64Extra(entry: ZipEntry, extra: Buffer): void {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = (): number => {
        const value = field + 8 <= at + 4 + size ? Number(extra.readBigUInt64LE(field)) : NaN;
        field += 8;
        return value;
      };
      // Only the fields whose 32-bit value overflowed are present, in this order.
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
      return;
    }
    at += 4 + size;
  }
}

/** Lists the archive's entries; throws FeedCorruptError or FeedNotAFeedError for archives it cannot trust. */
export async function readZipDirectory(handle: FileHandle, options: ReadZipDirectoryOptions): Promise<ZipEntry[]> {
  const { url, maxEntries } = options;
  const { size: fileSize } = await handle.stat();
  const location = await locateDirectory(handle, fileSize, url);
  if (location.entries > maxEntries) {
    throw new FeedNotAFeedError({ url, detail: `zip archive holds ${location.entries} entries; at most ${maxEntries} are accepted` });
  }
  if (location.size > MAX_DIRECTORY_BYTES) {
    throw new FeedNotAFeedError({ url, detail: `zip central directory of ${location.size} bytes is implausibly large` });
  }
  const directory = await readAt(handle, location.offset, location.size);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let index = 0; index < location.entries; index += 1) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      throw new FeedCorruptError({ url, detail: `zip central directory is damaged at entry ${index + 1}` });
    }
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const entry: ZipEntry = {
      flags: directory.readUInt16LE(at + 8),
      method: directory.readUInt16LE(at + 10),
      crc32: directory.readUInt32LE(at + 16),
      compressedSize: directory.readUInt32LE(at + 20),
      uncompressedSize: directory.readUInt32LE(at + 24),
      localHeaderOffset: directory.readUInt32LE(at + 42),
      name: directory.toString('utf8', at + 46, at + 46 + nameLength),
    };
    applyZip64Extra(entry, directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    if ([entry.compressedSize, entry.uncompressedSize, entry.localHeaderOffset].some(Number.isNaN)) {
      throw new FeedCorruptError({ url, detail: `zip entry "${entry.name}" has a damaged Zip64 field` });
    }
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

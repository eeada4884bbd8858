import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedCorruptError, FeedNotAFeedError, FeedTooLargeError } from './errors.js';
import { extractZipFeed } from './extract-zip-entry.js';
import { buildTestZip } from './test-zip.js';
import type { TestZipEntry } from './test-zip.js';

const url = new URL('https://supplier.example/export.zip');
// Written by Info-ZIP's `zip - -` (Zip64 end record, 0xFFFFFFFF sizes in the local header).
const INFO_ZIP_STORED =
  'UEsDBC0AAAAAAHABe10HpeaC//////////8BABQALQEAEAAYAAAAAAAAABgAAAAAAAAAc2t1O25hbWUKQTtBbHBoYQpCO0JldGEKUEsBAh4DLQAAAAAAcAF7XQel5oIYAAAAGAAAAAEAAAAAAAAAAQAAAIARAAAAAC1QSwYGLAAAAAAAAAAeAy0AAAAAAAAAAAABAAAAAAAAAAEAAAAAAAAALwAAAAAAAABLAAAAAAAAAFBLBgcAAAAAegAAAAAAAAABAAAAUEsFBgAAAAABAAEALwAAAEsAAAAAAA==';
const INFO_ZIP_DEFLATED =
  'UEsDBC0AAAAIAHIBe122oYgc//////////8BABQALQEAEAAQDgAAAAAAADEAAAAAAAAAc7R2zCnISLQuzs9NVShJrSjhchwVGRUZFRkVGRUZFRkVGRUZFRkVGRUZFRkVGQEiAFBLAQIeAy0AAAAIAHIBe122oYgcMQAAABAOAAABAAAAAAAAAAEAAACAEQAAAAAtUEsGBiwAAAAAAAAAHgMtAAAAAAAAAAAAAQAAAAAAAAABAAAAAAAAAC8AAAAAAAAAZAAAAAAAAABQSwYHAAAAAJMAAAAAAAAAAQAAAFBLBQYAAAAAAQABAC8AAABkAAAAAAA=';
// Written by Python's zipfile with force_zip64 (Zip64 extra field in the local header) plus a directory entry.
const PYTHON_ZIP64 =
  'UEsDBC0AAAAIAAAAIQAhcsUL//////////8IABQAZmVlZC54bWwBABAAIQAAAAAAAAAaAAAAAAAAALPJT0tLLSq2swHTCpkptkqGSvp2NvpQcS4AUEsDBBQAAAAIAHABe10AAAAAAgAAAAAAAAAGAAAAZW1wdHkvAwBQSwECLQMtAAAACAAAACEAIXLFCxoAAAAhAAAACAAAAAAAAAAAAAAAgAEAAAAAZmVlZC54bWxQSwECFAMUAAAACABwAXtdAAAAAAIAAAAAAAAABgAAAAAAAAAAABAA/UFUAAAAZW1wdHkvUEsFBgAAAAACAAIAagAAAHoAAAAAAA==';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feed-zip-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function extract(zip: Buffer, options: { maxBytes?: number; maxEntries?: number } = {}) {
  const path = join(dir, 'archive.zip');
  await writeFile(path, zip);
  let entry: string | undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of extractZipFeed({
    url,
    path,
    maxBytes: options.maxBytes ?? 1024 * 1024,
    maxEntries: options.maxEntries ?? 100,
    onEntry: (e) => (entry = e.name),
  })) {
    chunks.push(chunk);
  }
  return { entry, text: Buffer.concat(chunks).toString('utf8') };
}

function zipOf(...entries: TestZipEntry[]): Buffer {
  return buildTestZip(entries);
}

describe('extractZipFeed', () => {
  it('reads archives written by common tools, Zip64 included', async () => {
    expect(await extract(Buffer.from(INFO_ZIP_STORED, 'base64'))).toEqual({ entry: '-', text: 'sku;name\nA;Alpha\nB;Beta\n' });
    expect((await extract(Buffer.from(INFO_ZIP_DEFLATED, 'base64'))).text).toBe('A;Alpha;some text\n'.repeat(200));
    expect(await extract(Buffer.from(PYTHON_ZIP64, 'base64'))).toEqual({ entry: 'feed.xml', text: '<offers><offer id="1"/></offers>\n' });
  });

  it('takes the only file, else the largest, ignoring folders and metadata', async () => {
    const zip = zipOf(
      { name: 'data/', data: '', method: 'store' },
      { name: '__MACOSX/data/._big.xml', data: 'x'.repeat(10_000) },
      { name: '.DS_Store', data: 'y'.repeat(10_000) },
      { name: 'data/small.xml', data: '<a/>' },
      { name: 'data/big.xml', data: '<offers/>'.repeat(100), method: 'store' },
    );
    expect(await extract(zip)).toEqual({ entry: 'data/big.xml', text: '<offers/>'.repeat(100) });
  });

  it('refuses an entry whose declared size exceeds the limit', async () => {
    const zip = zipOf({ name: 'feed.xml', data: Buffer.alloc(2048) });
    await expect(extract(zip, { maxBytes: 1024 })).rejects.toBeInstanceOf(FeedTooLargeError);
  });

  it('stops an entry that inflates beyond its declared size', async () => {
    const zip = zipOf({ name: 'feed.xml', data: Buffer.alloc(4 * 1024 * 1024), declaredSize: 1000 });
    const error = await extract(zip).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedCorruptError);
    expect((error as Error).message).toContain('beyond its declared 1000 bytes');
  });

  it('refuses archives with too many entries', async () => {
    const entries = Array.from({ length: 20 }, (_, i) => ({ name: `f${i}.xml`, data: '<a/>' }));
    await expect(extract(zipOf(...entries), { maxEntries: 10 })).rejects.toBeInstanceOf(FeedNotAFeedError);
  });

  it('detects CRC mismatches, truncation and damaged data', async () => {
    await expect(extract(zipOf({ name: 'f.xml', data: '<offers/>', crc32: 1234 }))).rejects.toThrow('CRC-32');
    const good = zipOf({ name: 'f.xml', data: '<offers/>'.repeat(500) });
    await expect(extract(good.subarray(0, good.length - 10))).rejects.toBeInstanceOf(FeedCorruptError);
    const damaged = Buffer.from(good);
    damaged.fill(0xff, 40, 60);
    await expect(extract(damaged)).rejects.toBeInstanceOf(FeedCorruptError);
  });

  it('refuses encrypted entries, unsupported methods and empty archives', async () => {
    await expect(extract(zipOf({ name: 'f.xml', data: 'x', encrypted: true }))).rejects.toThrow('encrypted');
    const bzip2 = zipOf({ name: 'f.xml', data: 'x', method: 'store' });
    bzip2.writeUInt16LE(12, 8);
    bzip2.writeUInt16LE(12, 30 + 5 + 1 + 10);
    await expect(extract(bzip2)).rejects.toThrow('compression method 12');
    await expect(extract(zipOf({ name: 'only-a-folder/', data: '', method: 'store' }))).rejects.toThrow('holds no file');
  });
});

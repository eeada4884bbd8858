import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadFeedFile } from './download-feed-file.js';
import type { DownloadFeedFileOptions } from './download-feed-file.js';
import { FeedBlockedAddressError, FeedHttpError, FeedNotAFeedError, FeedUrlError } from './errors.js';
import { startTestFeedServer } from './test-feed-server.js';
import type { TestFeedServer } from './test-feed-server.js';
import { buildTestZip } from './test-zip.js';

const LOOPBACK = [{ address: '127.0.0.0', prefix: 8, family: 'ipv4' as const }];
const FEED = '<?xml version="1.0"?><offers><offer id="1"/><offer id="2"/></offers>\n';
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

let server: TestFeedServer;
let dir: string;

beforeAll(async () => {
  server = await startTestFeedServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feed-download-'));
  server.requests.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function download(path: string, extra: Partial<DownloadFeedFileOptions> = {}) {
  return downloadFeedFile({ url: server.url(path), destDir: dir, maxBytes: 10_000_000, allowNetworks: LOOPBACK, ...extra });
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the download to fail');
}

describe('downloadFeedFile: successful downloads', () => {
  it('stages a plain feed with its hash and validators', async () => {
    server.route('/feed.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml', etag: '"v1"', 'last-modified': 'Tue, 01 Apr 2025 10:00:00 GMT' });
      res.end(FEED);
    });
    const progress: number[] = [];
    const result = await download('/feed.xml', { onProgress: (bytes) => progress.push(bytes) });
    expect(result).toMatchObject({
      status: 'downloaded',
      bytes: FEED.length,
      compressedBytes: FEED.length,
      sha256: sha256(FEED),
      etag: '"v1"',
      lastModified: 'Tue, 01 Apr 2025 10:00:00 GMT',
      contentType: 'application/xml',
      compression: 'none',
    });
    if (result.status !== 'downloaded') throw new Error('unreachable');
    expect(result.path.startsWith(dir)).toBe(true);
    expect(result.path.endsWith('.xml')).toBe(true);
    expect(await readFile(result.path, 'utf8')).toBe(FEED);
    expect(await readdir(dir)).toHaveLength(1);
    expect(progress.at(-1)).toBe(FEED.length);
    expect(server.requests[0]?.headers['accept-encoding']).toBe('gzip');
  });

  it('returns not-modified for a 304 to If-None-Match', async () => {
    server.route('/etag.xml', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304).end();
      else res.writeHead(200, { etag: '"v1"' }).end(FEED);
    });
    expect(await download('/etag.xml', { etag: '"v1"' })).toEqual({ status: 'not-modified' });
    expect(await readdir(dir)).toEqual([]);
    expect(await download('/etag.xml', { etag: '"v0"' })).toMatchObject({ status: 'downloaded', etag: '"v1"' });
  });

  it('returns not-modified for a 304 to If-Modified-Since', async () => {
    const stamp = 'Tue, 01 Apr 2025 10:00:00 GMT';
    server.route('/dated.xml', (req, res) => {
      if (req.headers['if-modified-since'] === stamp) res.writeHead(304).end();
      else res.writeHead(200, { 'last-modified': stamp }).end(FEED);
    });
    expect(await download('/dated.xml', { lastModified: stamp })).toEqual({ status: 'not-modified' });
  });

  it('decodes Content-Encoding: gzip', async () => {
    const gz = zlib.gzipSync(FEED);
    server.route('/encoded.xml', (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(gz));
    const result = await download('/encoded.xml');
    expect(result).toMatchObject({ compression: 'gzip', bytes: FEED.length, compressedBytes: gz.length, sha256: sha256(FEED) });
  });

  it('decompresses a .gz file, also when it is served with Content-Encoding: gzip on top', async () => {
    const gz = zlib.gzipSync(FEED);
    server.route('/feed.xml.gz', (_req, res) => res.writeHead(200, { 'content-type': 'application/gzip' }).end(gz));
    server.route('/double.xml.gz', (_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync(gz)));
    const result = await download('/feed.xml.gz');
    expect(result).toMatchObject({ compression: 'gzip', sha256: sha256(FEED) });
    if (result.status === 'downloaded') expect(result.path.endsWith('.xml')).toBe(true);
    expect(await download('/double.xml.gz')).toMatchObject({ compression: 'gzip', sha256: sha256(FEED) });
  });

  it('extracts the feed from a zip archive', async () => {
    const zip = buildTestZip([
      { name: '__MACOSX/._offers.csv', data: 'x'.repeat(5000) },
      { name: 'readme.txt', data: 'see offers.csv', method: 'store' },
      { name: 'export/offers.csv', data: 'sku;name\n' + 'A;B\n'.repeat(1000) },
    ]);
    server.route('/export.zip', (_req, res) => res.writeHead(200, { 'content-type': 'application/zip' }).end(zip));
    const result = await download('/export.zip');
    const expected = 'sku;name\n' + 'A;B\n'.repeat(1000);
    expect(result).toMatchObject({ compression: 'zip', bytes: expected.length, compressedBytes: zip.length, sha256: sha256(expected) });
    if (result.status !== 'downloaded') throw new Error('unreachable');
    expect(result.path.endsWith('.csv')).toBe(true);
    expect(await readdir(dir)).toHaveLength(1);
  });

  it('follows a redirect to another path', async () => {
    server.route('/old', (_req, res) => res.writeHead(301, { location: '/new.xml' }).end());
    server.route('/new.xml', (_req, res) => res.writeHead(200, { etag: '"new"' }).end(FEED));
    expect(await download('/old')).toMatchObject({ status: 'downloaded', etag: '"new"', sha256: sha256(FEED) });
    expect(server.requests.map((r) => r.path)).toEqual(['/old', '/new.xml']);
  });

  it('drops Authorization on a redirect to another origin', async () => {
    const other = await startTestFeedServer();
    try {
      other.route('/feed.xml', (_req, res) => res.end(FEED));
      server.route('/moved', (_req, res) => res.writeHead(302, { location: other.url('/feed.xml') }).end());
      await download('/moved', { headers: { Authorization: 'Bearer secret' } });
      expect(server.requests[0]?.headers.authorization).toBe('Bearer secret');
      expect(other.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('streams a 200 MB feed to disk with the right hash', async () => {
    const chunkSize = 64 * 1024;
    const chunks = (200 * 1024 * 1024) / chunkSize;
    const base = Buffer.alloc(chunkSize);
    for (let at = 0; at < chunkSize; at += 32) createHash('sha256').update(String(at)).digest().copy(base, at);
    const chunkAt = (index: number) => {
      const chunk = Buffer.from(base);
      chunk.writeUInt32LE(index, 0);
      return chunk;
    };
    function* generate() {
      for (let index = 0; index < chunks; index += 1) yield chunkAt(index);
    }
    server.route('/big.csv', (_req, res) => {
      res.writeHead(200, { 'content-length': String(chunks * chunkSize) });
      pipeline(Readable.from(generate()), res).catch(() => undefined);
    });
    const result = await download('/big.csv', { maxBytes: 300 * 1024 * 1024 });
    const expected = createHash('sha256');
    for (const chunk of generate()) expected.update(chunk);
    expect(result).toMatchObject({ status: 'downloaded', bytes: chunks * chunkSize, sha256: expected.digest('hex') });
  }, 120_000);
});

describe('downloadFeedFile: HTTP failures', () => {
  it('reports 500 as a retryable FeedHttpError', async () => {
    server.route('/broken', (_req, res) => res.writeHead(503, { 'retry-after': '120' }).end('down'));
    const error = await failureOf(download('/broken'));
    expect(error).toBeInstanceOf(FeedHttpError);
    expect(error).toMatchObject({ status: 503, retryable: true, retryAfterSeconds: 120 });
  });

  it('reports 404 and 401 as not retryable, with status and masked URL', async () => {
    server.route('/private', (_req, res) => res.writeHead(401).end());
    const url = `http://user:s3cret@127.0.0.1:${server.port}/missing?token=abc123&page=2`;
    const notFound = await failureOf(download('', { url }));
    expect(notFound).toBeInstanceOf(FeedHttpError);
    expect(notFound).toMatchObject({ status: 404, retryable: false });
    expect(notFound.message).toContain('404');
    expect(notFound.message).toContain(`http://user:***@127.0.0.1:${server.port}/missing?token=***&page=2`);
    expect(notFound.message).not.toMatch(/s3cret|abc123/);
    const unauthorized = await failureOf(download('/private'));
    expect(unauthorized).toMatchObject({ status: 401, retryable: false });
  });

  it('refuses a redirect chain longer than maxRedirects', async () => {
    server.route('/loop', (req, res) => {
      const hop = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('hop') ?? 0);
      res.writeHead(302, { location: `/loop?hop=${hop + 1}` }).end();
    });
    const error = await failureOf(download('/loop'));
    expect(error).toBeInstanceOf(FeedHttpError);
    expect(error.message).toContain('more than 5 redirects');
    expect(server.requests).toHaveLength(6);
    await expect(download('/loop', { maxRedirects: 1 })).rejects.toThrow('more than 1 redirects');
  });

  it('refuses URLs and redirects that are not http(s)', async () => {
    server.route('/to-file', (_req, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end());
    await expect(download('/to-file')).rejects.toBeInstanceOf(FeedUrlError);
    await expect(download('', { url: 'ftp://example.com/feed.xml' })).rejects.toBeInstanceOf(FeedUrlError);
    await expect(download('', { url: 'not a url' })).rejects.toMatchObject({ name: 'FeedUrlError', retryable: false });
  });

  it('refuses an HTML page served instead of the feed', async () => {
    server.route('/login', (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('\n<!DOCTYPE html><html><body>Sign in</body></html>'));
    const error = await failureOf(download('/login'));
    expect(error).toBeInstanceOf(FeedNotAFeedError);
    expect(error).toMatchObject({ retryable: false });
    expect(await readdir(dir)).toEqual([]);
    expect(await download('/login', { acceptHtml: true })).toMatchObject({ status: 'downloaded' });
  });
});

describe('downloadFeedFile: address guard', () => {
  it('refuses a loopback literal that is not allow-listed, before sending anything', async () => {
    server.route('/feed.xml', (_req, res) => res.end(FEED));
    const error = await failureOf(download('/feed.xml', { allowNetworks: [] }));
    expect(error).toBeInstanceOf(FeedBlockedAddressError);
    expect(error).toMatchObject({ address: '127.0.0.1', category: 'loopback', retryable: false });
    expect(error.message).toContain('HARVEST_ALLOW_NETWORKS');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a hostname that resolves to loopback', async () => {
    const error = await failureOf(download('', { url: `http://localhost:${server.port}/feed.xml`, allowNetworks: [] }));
    expect(error).toBeInstanceOf(FeedBlockedAddressError);
    expect(error).toMatchObject({ host: 'localhost', category: 'loopback' });
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a redirect from an allowed host to a blocked address', async () => {
    server.route('/hop', (_req, res) => res.writeHead(302, { location: `http://127.0.0.2:${server.port}/feed.xml` }).end());
    const error = await failureOf(download('/hop', { allowNetworks: [{ address: '127.0.0.1', prefix: 32, family: 'ipv4' }] }));
    expect(error).toBeInstanceOf(FeedBlockedAddressError);
    expect(error).toMatchObject({ address: '127.0.0.2' });
    expect(server.requests.map((r) => r.path)).toEqual(['/hop']);
  });
});

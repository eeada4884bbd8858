import { mkdtemp, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadFeedFile } from './download-feed-file.js';
import type { DownloadFeedFileOptions } from './download-feed-file.js';
import { FeedCorruptError, FeedNetworkError, FeedTimeoutError, FeedTooLargeError } from './errors.js';
import { startTestFeedServer } from './test-feed-server.js';
import type { TestFeedServer } from './test-feed-server.js';
import { buildTestZip } from './test-zip.js';

const LOOPBACK = [{ address: '127.0.0.0', prefix: 8, family: 'ipv4' as const }];
const MiB = 1024 * 1024;

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
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function download(path: string, extra: Partial<DownloadFeedFileOptions> = {}) {
  return downloadFeedFile({ url: server.url(path), destDir: dir, maxBytes: MiB, allowNetworks: LOOPBACK, ...extra });
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the download to fail');
}

function* endless(): Generator<Buffer> {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  for (;;) yield chunk;
}

describe('downloadFeedFile: damaged bodies', () => {
  it('treats a truncated gzip stream as corrupt, not as a short file', async () => {
    const gz = zlib.gzipSync(Buffer.from('<offer/>'.repeat(10_000)));
    server.route('/truncated.xml.gz', (_req, res) => res.end(gz.subarray(0, gz.length / 2)));
    const error = await failureOf(download('/truncated.xml.gz'));
    expect(error).toBeInstanceOf(FeedCorruptError);
    expect(error).toMatchObject({ retryable: true });
    expect(await readdir(dir)).toEqual([]);
  });

  it('treats a body shorter than its Content-Length as corrupt', async () => {
    server.route('/short', (_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write(Buffer.alloc(500, 'x'));
      setTimeout(() => res.socket?.end(), 20);
    });
    const error = await failureOf(download('/short'));
    expect(error).toBeInstanceOf(FeedCorruptError);
    expect(error.message).toContain('500 of the 1000 bytes');
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a Content-Encoding that was not requested', async () => {
    server.route('/brotli', (_req, res) => res.writeHead(200, { 'content-encoding': 'br' }).end(zlib.brotliCompressSync('<a/>')));
    await expect(download('/brotli')).rejects.toMatchObject({ name: 'FeedNotAFeedError', retryable: false });
    expect(await readdir(dir)).toEqual([]);
  });

  it('treats a truncated zip as corrupt', async () => {
    const zip = buildTestZip([{ name: 'feed.xml', data: '<offer/>'.repeat(1000) }]);
    server.route('/cut.zip', (_req, res) => res.end(zip.subarray(0, zip.length - 30)));
    await expect(download('/cut.zip')).rejects.toBeInstanceOf(FeedCorruptError);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('downloadFeedFile: size limit', () => {
  it('aborts mid-stream once the limit is exceeded and leaves no file', async () => {
    server.route('/endless', (_req, res) => {
      res.writeHead(200);
      pipeline(Readable.from(endless()), res).catch(() => undefined);
    });
    const error = await failureOf(download('/endless'));
    expect(error).toBeInstanceOf(FeedTooLargeError);
    expect(error).toMatchObject({ retryable: false, limit: MiB });
    expect(error.message).toContain('HARVEST_MAX_FEED_BYTES');
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses up front when Content-Length is larger than the limit', async () => {
    // Headers only: the refusal must not wait for a body that never comes.
    server.route('/huge', (_req, res) => res.writeHead(200, { 'content-length': String(50 * MiB) }).flushHeaders());
    const error = await failureOf(download('/huge', { readTimeoutMs: 60_000 }));
    expect(error).toBeInstanceOf(FeedTooLargeError);
    expect(error.message).toContain('Content-Length declares 50 MiB');
    expect(await readdir(dir)).toEqual([]);
  });

  it('enforces the limit on the decompressed size of a gzip bomb', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(20 * MiB));
    server.route('/bomb.gz', (_req, res) => res.end(bomb));
    const error = await failureOf(download('/bomb.gz'));
    expect(bomb.length).toBeLessThan(MiB);
    expect(error).toBeInstanceOf(FeedTooLargeError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('enforces the limit on the decompressed size of a zip entry', async () => {
    const zip = buildTestZip([{ name: 'feed.xml', data: Buffer.alloc(5 * MiB) }]);
    server.route('/bomb.zip', (_req, res) => res.end(zip));
    await expect(download('/bomb.zip')).rejects.toBeInstanceOf(FeedTooLargeError);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('downloadFeedFile: network failures', () => {
  it('reports a connection reset mid-body as a retryable FeedNetworkError', async () => {
    server.route('/reset', (_req, res) => {
      res.writeHead(200);
      res.write(Buffer.alloc(1000, 'x'));
      setTimeout(() => res.socket?.resetAndDestroy(), 20);
    });
    const error = await failureOf(download('/reset'));
    expect(error).toBeInstanceOf(FeedNetworkError);
    expect(error).toMatchObject({ retryable: true, code: 'ECONNRESET' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a refused connection as a retryable FeedNetworkError', async () => {
    const closed = await startTestFeedServer();
    const url = closed.url('/feed.xml');
    await closed.close();
    await expect(download('', { url })).rejects.toMatchObject({ name: 'FeedNetworkError', code: 'ECONNREFUSED', retryable: true });
  });

  it('times out a stalled body with the read timeout', async () => {
    server.route('/stall', (_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write(Buffer.alloc(500, 'x'));
    });
    const error = await failureOf(download('/stall', { readTimeoutMs: 300 }));
    expect(error).toBeInstanceOf(FeedTimeoutError);
    expect(error).toMatchObject({ phase: 'read', timeoutMs: 300, retryable: true });
    expect(await readdir(dir)).toEqual([]);
  });

  it('times out a server that never sends headers', async () => {
    server.route('/silent', () => undefined);
    await expect(download('/silent', { readTimeoutMs: 300 })).rejects.toMatchObject({ name: 'FeedTimeoutError', phase: 'read' });
  });

  it('times out a TLS handshake that never completes with the connect timeout', async () => {
    // Accepts TCP and then says nothing: the connection is open but never becomes usable.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const error = await failureOf(download('', { url: `https://127.0.0.1:${port}/feed.xml`, connectTimeoutMs: 300, readTimeoutMs: 60_000 }));
      expect(error).toBeInstanceOf(FeedTimeoutError);
      expect(error).toMatchObject({ phase: 'connect', timeoutMs: 300, retryable: true });
    } finally {
      silent.close();
    }
  });

  it('stops on abort with the signal reason and leaves no file', async () => {
    server.route('/slow', (_req, res) => {
      res.writeHead(200);
      res.write('<offers>');
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('activity cancelled')), 100);
    await expect(download('/slow', { signal: controller.signal })).rejects.toThrow('activity cancelled');
    expect(await readdir(dir)).toEqual([]);
  });
});

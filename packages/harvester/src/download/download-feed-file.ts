import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AllowedNetwork } from './address-guard.js';
import { classifyError } from './classify-error.js';
import { decodeFeedBody } from './decode-feed-body.js';
import type { FeedCompression } from './decode-feed-body.js';
import { FeedCorruptError, FeedNotAFeedError, FeedTooLargeError, formatBytes } from './errors.js';
import { openFeedResponse } from './open-feed-response.js';
import { writeChunks } from './write-chunks.js';

export interface DownloadFeedFileOptions {
  url: string;
  /** Directory for the staged file; created if missing. */
  destDir: string;
  /** Extra request headers, e.g. Authorization from the supplier's auth reference. Dropped on cross-origin redirects. */
  headers?: Record<string, string>;
  /** ETag of the last successful download, sent as If-None-Match. */
  etag?: string;
  /** Last-Modified of the last successful download, sent as If-Modified-Since. */
  lastModified?: string;
  /** Largest feed accepted, compressed or decompressed (HARVEST_MAX_FEED_BYTES). */
  maxBytes: number;
  /** Non-public networks feeds may use (HARVEST_ALLOW_NETWORKS). */
  allowNetworks: readonly AllowedNetwork[];
  /** DNS lookup, TCP connect and TLS handshake together. Default 10 s. */
  connectTimeoutMs?: number;
  /** Longest silence on the connection, waiting for headers or between body bytes. Default 30 s. */
  readTimeoutMs?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Largest number of entries a zip archive may hold. Default 1000. */
  maxZipEntries?: number;
  /** Set when the feed format itself is HTML, to skip the "HTML page instead of a feed" check. */
  acceptHtml?: boolean;
  signal?: AbortSignal;
  /** Called with the decompressed bytes staged so far, at most about once per MiB and at the end. */
  onProgress?: (bytes: number) => void;
}

export type DownloadResult =
  | { status: 'not-modified' }
  | {
      status: 'downloaded';
      /** The decompressed, staged feed. */
      path: string;
      /** Size of the staged (decompressed) file. */
      bytes: number;
      /** Bytes received over the wire. */
      compressedBytes: number;
      /** SHA-256 (hex) of the decompressed content. */
      sha256: string;
      etag?: string;
      lastModified?: string;
      contentType?: string;
      compression: FeedCompression;
    };

const PROGRESS_STEP = 1024 * 1024;
const HTML_START = /^(\ufeff)?\s*(<!doctype\s+html|<html[\s>])/i;

function parseLength(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

// Keeps the extension of the feed's own name (feed.xml.gz -> .xml) so the staged file reads naturally.
function extensionOf(name: string): string {
  const base = name.replace(/\.(gz|gzip|zip)$/i, '');
  return /(\.[a-z0-9]{1,8})$/i.exec(base)?.[1]?.toLowerCase() ?? '';
}

/**
 * Downloads a supplier feed to a staged file in `destDir`: conditional GET, SSRF guard
 * on every hop, gzip/zip decoding, size limit and timeouts. The body is streamed to
 * `<name>.partial` while its SHA-256 is computed, and renamed only once complete, so a
 * failed download leaves nothing behind. Failures are thrown as Feed*Error classes
 * (see errors.ts); cancellation through `signal` rejects with the signal's reason.
 */
export async function downloadFeedFile(options: DownloadFeedFileOptions): Promise<DownloadResult> {
  const { maxBytes, signal } = options;
  if (!(maxBytes > 0)) throw new RangeError(`maxBytes must be a positive number, got ${maxBytes}`);
  signal?.throwIfAborted();

  const opened = await openFeedResponse({
    url: options.url,
    allowNetworks: options.allowNetworks,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    readTimeoutMs: options.readTimeoutMs ?? 30_000,
    maxRedirects: options.maxRedirects ?? 5,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.etag ? { etag: options.etag } : {}),
    ...(options.lastModified ? { lastModified: options.lastModified } : {}),
    ...(signal ? { signal } : {}),
  });
  if (opened.status === 'not-modified') return opened;

  const { url, request } = opened;
  const { headers } = request.response;
  const declaredLength = parseLength(headers['content-length']);
  const contentType = headers['content-type'];
  const id = `feed-${randomUUID()}`;
  const partialPath = join(options.destDir, `${id}.partial`);
  const scratchPath = join(options.destDir, `${id}.zip.partial`);
  let received = 0;

  async function* wire(): AsyncGenerator<Buffer> {
    for await (const chunk of request.response as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > maxBytes) throw new FeedTooLargeError({ url, limit: maxBytes, detail: 'more bytes arrived than the limit allows' });
      yield chunk;
    }
    if (declaredLength !== undefined && received < declaredLength) {
      throw new FeedCorruptError({ url, detail: `received ${received} of the ${declaredLength} bytes declared by Content-Length` });
    }
  }

  const hash = createHash('sha256');
  let bytes = 0;
  let reported = 0;
  async function* meter(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      if (bytes === 0 && !options.acceptHtml && /html/i.test(contentType ?? '') && HTML_START.test(chunk.toString('utf8', 0, 512))) {
        throw new FeedNotAFeedError({ url, detail: `the server sent an HTML page (${contentType}), perhaps a login or error page` });
      }
      bytes += chunk.length;
      if (bytes > maxBytes) throw new FeedTooLargeError({ url, limit: maxBytes, detail: 'the decompressed feed is larger' });
      hash.update(chunk);
      if (options.onProgress && bytes - reported >= PROGRESS_STEP) {
        reported = bytes;
        options.onProgress(bytes);
      }
      yield chunk;
    }
  }

  try {
    if (declaredLength !== undefined && declaredLength > maxBytes) {
      throw new FeedTooLargeError({ url, limit: maxBytes, detail: `Content-Length declares ${formatBytes(declaredLength)}` });
    }
    await mkdir(options.destDir, { recursive: true });
    const decoded = decodeFeedBody(wire(), {
      url,
      contentEncoding: headers['content-encoding'],
      scratchPath,
      maxBytes,
      maxZipEntries: options.maxZipEntries ?? 1000,
    });
    await writeChunks(meter(decoded.chunks), partialPath, signal);
    const path = join(options.destDir, `${id}${extensionOf(decoded.info.entryName ?? url.pathname)}`);
    await rename(partialPath, path);
    if (options.onProgress && reported !== bytes) options.onProgress(bytes);
    return {
      status: 'downloaded',
      path,
      bytes,
      compressedBytes: received,
      sha256: hash.digest('hex'),
      compression: decoded.info.compression,
      ...(typeof headers.etag === 'string' ? { etag: headers.etag } : {}),
      ...(typeof headers['last-modified'] === 'string' ? { lastModified: headers['last-modified'] } : {}),
      ...(contentType ? { contentType } : {}),
    };
  } catch (error) {
    await rm(partialPath, { force: true });
    throw classifyError(error, { url, failure: request.failure(), declaredLength, receivedBytes: received, signal });
  } finally {
    request.close();
    await rm(scratchPath, { force: true });
  }
}

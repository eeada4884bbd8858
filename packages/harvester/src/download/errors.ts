import { maskUrl } from './mask-url.js';

/**
 * Errors of `downloadFeedFile`. Each carries `retryable` (whether trying the same
 * download again may succeed) and a message whose URL has its credentials masked,
 * so it can go into logs and Temporal failure histories as is.
 */

/** Shared base of every download error; `url` is already masked. */
export abstract class FeedDownloadError extends Error {
  abstract readonly retryable: boolean;
  readonly url: string;

  constructor(url: string | URL, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.url = maskUrl(url);
  }
}

/** Human-readable byte count for messages, e.g. "1.5 GiB (1610612736 bytes)". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${bytes} bytes`;
  return `${Number(value.toFixed(1))} ${units[unit]} (${bytes} bytes)`;
}

const RETRYABLE_CLIENT_STATUSES = new Set([408, 425, 429]);

/**
 * Thrown when the supplier's server answers with a status other than 200/203/304
 * (after following redirects), or when redirects go on for too long.
 * 5xx, 408, 425 and 429 are retryable; other statuses are not.
 */
export class FeedHttpError extends FeedDownloadError {
  override readonly name = 'FeedHttpError';
  readonly status: number;
  readonly retryable: boolean;
  /** Seconds from a `Retry-After` header, when the server sent one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(options: { url: string | URL; status: number; statusText?: string; detail?: string; retryAfterSeconds?: number }) {
    const text = options.statusText ? ` ${options.statusText}` : '';
    const detail = options.detail ? `: ${options.detail}` : '';
    super(options.url, `Feed download failed with HTTP ${options.status}${text} from ${maskUrl(options.url)}${detail}`);
    this.status = options.status;
    this.retryable = options.status >= 500 || RETRYABLE_CLIENT_STATUSES.has(options.status);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Thrown when the feed URL (or a redirect target) is malformed or is not http: or https:. */
export class FeedUrlError extends FeedDownloadError {
  override readonly name = 'FeedUrlError';
  readonly retryable = false;

  constructor(options: { url: string | URL; reason: string }) {
    super(options.url, `Cannot download feed from ${maskUrl(options.url)}: ${options.reason}`);
  }
}

/**
 * Thrown when the feed host is, or resolves to, a loopback, private, link-local
 * or otherwise non-public address that HARVEST_ALLOW_NETWORKS does not allow
 * (checked for the first URL and every redirect). Not retryable.
 */
export class FeedBlockedAddressError extends FeedDownloadError {
  override readonly name = 'FeedBlockedAddressError';
  readonly retryable = false;
  readonly host: string;
  readonly address: string;
  readonly category: string;

  constructor(options: { url: string | URL; host: string; address: string; category: string }) {
    const { host, address, category } = options;
    const subject = host === address ? `the address ${address}` : `host "${host}" resolves to ${address}, which`;
    const article = /^[aeiou]/.test(category) ? 'an' : 'a';
    const single = address.includes(':') ? `${address}/128` : `${address}/32`;
    super(
      options.url,
      `Refused to download feed from ${maskUrl(options.url)}: ${subject} is ${article} ${category} address. ` +
        `Feeds on private, loopback or link-local networks must be allow-listed: add a CIDR such as ${single} ` +
        'to HARVEST_ALLOW_NETWORKS (comma-separated CIDRs).',
    );
    this.host = host;
    this.address = address;
    this.category = category;
  }
}

/**
 * Thrown when the feed is larger than the configured limit (HARVEST_MAX_FEED_BYTES):
 * by its Content-Length, by a zip entry's declared size, or while streaming,
 * compressed or decompressed. Not retryable.
 */
export class FeedTooLargeError extends FeedDownloadError {
  override readonly name = 'FeedTooLargeError';
  readonly retryable = false;
  readonly limit: number;

  constructor(options: { url: string | URL; limit: number; detail: string }) {
    super(
      options.url,
      `Feed at ${maskUrl(options.url)} exceeds the limit of ${formatBytes(options.limit)}: ${options.detail}. ` +
        'Raise HARVEST_MAX_FEED_BYTES if this size is expected.',
    );
    this.limit = options.limit;
  }
}

/**
 * Thrown when connecting (DNS lookup, TCP connect, TLS handshake) takes longer than
 * the connect timeout, or the connection stays idle longer than the read timeout
 * while waiting for headers or body. Retryable.
 */
export class FeedTimeoutError extends FeedDownloadError {
  override readonly name = 'FeedTimeoutError';
  readonly retryable = true;
  readonly phase: 'connect' | 'read';
  readonly timeoutMs: number;

  constructor(options: { url: string | URL; phase: 'connect' | 'read'; timeoutMs: number }) {
    const what =
      options.phase === 'connect'
        ? `could not connect within ${options.timeoutMs} ms`
        : `no data received for ${options.timeoutMs} ms`;
    super(options.url, `Feed download from ${maskUrl(options.url)} timed out: ${what}`);
    this.phase = options.phase;
    this.timeoutMs = options.timeoutMs;
  }
}

/**
 * Thrown when the network fails: DNS lookup failure, connection refused or reset,
 * or the connection closed before a body of unknown length was complete. Retryable.
 */
export class FeedNetworkError extends FeedDownloadError {
  override readonly name = 'FeedNetworkError';
  readonly retryable = true;
  /** The system error code, e.g. ECONNRESET, ECONNREFUSED, ENOTFOUND. */
  readonly code: string | undefined;

  constructor(options: { url: string | URL; detail: string; code?: string; cause?: unknown }) {
    super(options.url, `Network error downloading feed from ${maskUrl(options.url)}: ${options.detail}`, options.cause);
    this.code = options.code;
  }
}

/**
 * Thrown when the received bytes are damaged or incomplete: fewer bytes than the
 * Content-Length declared, a truncated or invalid gzip stream, a truncated zip or an
 * entry failing its CRC check. Retryable: a half-uploaded or half-sent file is often
 * complete on the next attempt.
 */
export class FeedCorruptError extends FeedDownloadError {
  override readonly name = 'FeedCorruptError';
  readonly retryable = true;

  constructor(options: { url: string | URL; detail: string; cause?: unknown }) {
    super(options.url, `Feed from ${maskUrl(options.url)} is corrupt or incomplete: ${options.detail}`, options.cause);
  }
}

/**
 * Thrown when the response is something this downloader cannot stage as a feed: an
 * HTML page served with 200 (a login or error page), a zip holding no file, too many
 * entries, encrypted entries or an unsupported compression method, or an
 * unsupported Content-Encoding. Not retryable.
 */
export class FeedNotAFeedError extends FeedDownloadError {
  override readonly name = 'FeedNotAFeedError';
  readonly retryable = false;

  constructor(options: { url: string | URL; detail: string }) {
    super(options.url, `Response from ${maskUrl(options.url)} is not a usable feed: ${options.detail}`);
  }
}

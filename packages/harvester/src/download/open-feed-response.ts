import type { LookupAddress } from 'node:dns';
import { vetHost } from './address-guard.js';
import type { AllowedNetwork } from './address-guard.js';
import { classifyError } from './classify-error.js';
import { FeedHttpError, FeedUrlError } from './errors.js';
import { maskUrl } from './mask-url.js';
import { sendFeedRequest } from './send-feed-request.js';
import type { FeedRequest } from './send-feed-request.js';

export interface OpenFeedResponseOptions {
  url: string;
  headers?: Record<string, string>;
  etag?: string;
  lastModified?: string;
  allowNetworks: readonly AllowedNetwork[];
  connectTimeoutMs: number;
  readTimeoutMs: number;
  maxRedirects: number;
  signal?: AbortSignal;
  /** Resolver override, for tests. */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

export type OpenedFeed = { status: 'not-modified' } | { status: 'ok'; url: URL; request: FeedRequest };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const OK = new Set([200, 203]);
// Credentials meant for one origin must not follow a redirect to another.
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

function parseFeedUrl(text: string, context?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, context);
  } catch {
    throw new FeedUrlError({ url: text, reason: context ? `invalid redirect Location from ${maskUrl(context)}` : 'not a valid URL' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const reason = context ? `redirected from ${maskUrl(context)} to a ${url.protocol} URL` : `${url.protocol} URLs are not supported`;
    throw new FeedUrlError({ url, reason: `${reason}; only http: and https: are allowed` });
  }
  return url;
}

function buildHeaders(options: OpenFeedResponseOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': 'contextworker-harvester',
    accept: '*/*',
    'accept-encoding': 'gzip',
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  return headers;
}

function retryAfterSeconds(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * Opens the feed URL: vets the host, sends the (conditional) GET and follows redirects
 * by hand, vetting each new host, up to `maxRedirects`. Resolves with the open 200
 * response, or `not-modified` for a 304; any other outcome is thrown as a Feed*Error.
 */
export async function openFeedResponse(options: OpenFeedResponseOptions): Promise<OpenedFeed> {
  let url = parseFeedUrl(options.url);
  const headers = buildHeaders(options);
  const conditional = headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined;

  for (let redirects = 0; ; redirects += 1) {
    options.signal?.throwIfAborted();
    const started = Date.now();
    const addresses = await vetHost(url, {
      allowNetworks: options.allowNetworks,
      timeoutMs: options.connectTimeoutMs,
      ...(options.resolve ? { resolve: options.resolve } : {}),
    });
    let request: FeedRequest;
    try {
      request = await sendFeedRequest({
        url,
        headers,
        addresses,
        // One budget for DNS lookup, TCP connect and TLS handshake together.
        connectTimeoutMs: Math.max(1, options.connectTimeoutMs - (Date.now() - started)),
        connectLimitMs: options.connectTimeoutMs,
        readTimeoutMs: options.readTimeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      throw classifyError(error, { url, signal: options.signal });
    }

    const { response } = request;
    const status = response.statusCode ?? 0;
    if (OK.has(status)) return { status: 'ok', url, request };
    request.close();

    if (status === 304 && conditional) return { status: 'not-modified' };
    if (REDIRECTS.has(status)) {
      const location = response.headers.location;
      if (!location) throw new FeedHttpError({ url, status, statusText: response.statusMessage, detail: 'redirect without a Location header' });
      if (redirects >= options.maxRedirects) {
        throw new FeedHttpError({ url, status, statusText: response.statusMessage, detail: `more than ${options.maxRedirects} redirects` });
      }
      const next = parseFeedUrl(location, url);
      if (next.origin !== url.origin) for (const name of ORIGIN_BOUND_HEADERS) delete headers[name];
      url = next;
      continue;
    }
    const retryAfter = retryAfterSeconds(response.headers['retry-after']);
    throw new FeedHttpError({
      url,
      status,
      statusText: response.statusMessage,
      ...(status === 304 ? { detail: 'Not Modified without a conditional request' } : {}),
      ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
    });
  }
}

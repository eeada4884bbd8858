import http from 'node:http';
import https from 'node:https';
import type { LookupAddress } from 'node:dns';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { createPinnedLookup } from './address-guard.js';
import { FeedTimeoutError } from './errors.js';

export interface SendFeedRequestOptions {
  url: URL;
  headers: Record<string, string>;
  /** Vetted addresses of the URL's host; the socket connects to one of these only. */
  addresses: readonly LookupAddress[];
  /** Time allowed for TCP connect plus TLS handshake. */
  connectTimeoutMs: number;
  /** The limit a connect timeout names (the whole budget, of which `connectTimeoutMs` is what is left). Default `connectTimeoutMs`. */
  connectLimitMs?: number;
  /** Longest silence allowed on the connected socket: waiting for headers or body bytes. */
  readTimeoutMs: number;
  signal?: AbortSignal;
}

/** An open response; its body has not been read yet. */
export interface FeedRequest {
  response: IncomingMessage;
  /** A timeout this side raised, or a socket-level error (e.g. ECONNRESET) seen so far. */
  failure(): Error | undefined;
  /** Destroys request, response and socket; safe to call more than once. */
  close(): void;
}

/**
 * Sends one GET and resolves once the status line and headers have arrived. Redirects
 * are not followed here: each hop is vetted by the caller. The body (and any error
 * while reading it) belongs to the caller.
 */
export function sendFeedRequest(options: SendFeedRequestOptions): Promise<FeedRequest> {
  const { url, connectTimeoutMs, readTimeoutMs } = options;
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let failure: Error | undefined;
    let response: IncomingMessage | undefined;
    const request = transport.request(url, {
      method: 'GET',
      headers: options.headers,
      // A fresh agent per request: no pooled socket can skip the address check.
      agent: false,
      lookup: createPinnedLookup(options.addresses),
      ...(options.signal ? { signal: options.signal } : {}),
    });

    const fail = (error: Error): void => {
      failure ??= error;
      if (response) response.destroy(error);
      request.destroy(error);
    };

    const connectTimer = setTimeout(
      () => fail(new FeedTimeoutError({ url, phase: 'connect', timeoutMs: options.connectLimitMs ?? connectTimeoutMs })),
      connectTimeoutMs,
    );

    request.once('socket', (socket: Socket) => {
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
        clearTimeout(connectTimer);
        // Idle timeout from here on: covers the wait for headers and every gap in the body.
        socket.setTimeout(readTimeoutMs, () => fail(new FeedTimeoutError({ url, phase: 'read', timeoutMs: readTimeoutMs })));
      });
    });

    request.once('response', (incoming) => {
      response = incoming;
      // The caller consumes the body; this only keeps a late error from going unhandled.
      incoming.on('error', () => undefined);
      resolve({
        response: incoming,
        failure: () => failure,
        close: () => {
          clearTimeout(connectTimer);
          incoming.destroy();
          request.destroy();
        },
      });
    });

    // Registered with `on`: a socket error may arrive after the response, while the body streams.
    request.on('error', (error) => {
      clearTimeout(connectTimer);
      if (error !== failure && (error as NodeJS.ErrnoException).syscall) failure ??= error;
      reject(failure ?? error);
    });
    request.once('close', () => clearTimeout(connectTimer));
    request.end();
  });
}

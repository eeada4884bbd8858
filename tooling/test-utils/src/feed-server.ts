// A supplier feed host on loopback: serves whatever the test puts at a path,
// with ETag / If-None-Match like a real CDN, and counts requests. A path can
// also be given a handler, for hosts that misbehave (resets, stalls, redirects).
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeedResponse {
  body: Buffer | string;
  contentType?: string;
  headers?: Record<string, string>;
  status?: number;
}

/** Answers a request itself; `request` counts from 1 for each path. */
export type FeedHandler = (req: IncomingMessage, res: ServerResponse, request: number) => void;

export interface FeedServer {
  url(path: string): string;
  set(path: string, response: FeedResponse): void;
  /** Serves `path` with `handler` instead of a fixed response. */
  handle(path: string, handler: FeedHandler): void;
  requests(path: string): number;
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, FeedResponse>();
  const handlers = new Map<string, FeedHandler>();
  const counts = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const count = (counts.get(path) ?? 0) + 1;
    counts.set(path, count);
    const handler = handlers.get(path);
    if (handler) {
      handler(request, response, count);
      return;
    }
    const route = routes.get(path);
    if (!route) {
      response.writeHead(404).end('not found');
      return;
    }
    const body = typeof route.body === 'string' ? Buffer.from(route.body) : route.body;
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, { etag }).end();
      return;
    }
    response.writeHead(route.status ?? 200, {
      'content-type': route.contentType ?? 'application/octet-stream',
      'content-length': String(body.length),
      etag,
      ...route.headers,
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    set: (path, response) => {
      handlers.delete(path);
      routes.set(path, response);
    },
    handle: (path, handler) => handlers.set(path, handler),
    requests: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A stalled response would otherwise keep close() waiting.
        server.closeAllConnections();
      }),
  };
}

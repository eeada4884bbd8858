import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoSupplier } from './demo-suppliers.js';

export interface FeedHost {
  /** The feed URL of a demo supplier. */
  url(supplier: DemoSupplier): string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves the demo feeds on loopback as a supplier's host would: with a strong ETag, answering a
 * matching If-None-Match with 304, so a second harvest of an unchanged feed downloads nothing.
 */
export async function startFeedHost(suppliers: readonly DemoSupplier[], port = 0): Promise<FeedHost> {
  const feeds = new Map(suppliers.map((s) => [s.path, { ...s, etag: `"${createHash('sha256').update(s.body).digest('hex').slice(0, 32)}"` }]));
  const server: Server = createServer((request, response) => {
    const feed = feeds.get(new URL(request.url ?? '/', 'http://feeds').pathname);
    if (!feed || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(feed ? 405 : 404, { 'content-type': 'text/plain' }).end(feed ? 'method not allowed\n' : 'no such feed\n');
      return;
    }
    if (request.headers['if-none-match'] === feed.etag) {
      response.writeHead(304, { etag: feed.etag }).end();
      return;
    }
    response.writeHead(200, { 'content-type': feed.contentType, 'content-length': feed.body.length, etag: feed.etag });
    response.end(request.method === 'HEAD' ? undefined : feed.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    url: (supplier) => `http://127.0.0.1:${bound}${supplier.path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

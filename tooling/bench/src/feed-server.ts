// Serves the generated feeds on loopback. Each supplier has its own path whose
// file can be switched between runs (the 1%-changed variant).
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeedServer {
  /** The URL a supplier is registered with. */
  urlFor(supplierId: string): string;
  /** Serve this file for the supplier from now on. */
  serve(supplierId: string, path: string): void;
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FeedServer> {
  const files = new Map<string, string>();
  const server: Server = createServer((request, response) => {
    const path = files.get(decodeURIComponent((request.url ?? '').replace(/^\/feeds\//, '')));
    if (!path) {
      response.writeHead(404).end();
      return;
    }
    const type = path.endsWith('.csv') ? 'text/csv' : 'application/xml';
    response.writeHead(200, { 'content-type': type, 'content-length': String(statSync(path).size) });
    createReadStream(path).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feeds/`;
  return {
    urlFor: (supplierId) => base + encodeURIComponent(supplierId),
    serve: (supplierId, path) => void files.set(supplierId, path),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

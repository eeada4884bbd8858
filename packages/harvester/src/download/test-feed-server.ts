import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stand-in supplier host for tests: a real HTTP server on a loopback address. */

export type TestRoute = (request: IncomingMessage, response: ServerResponse) => void;

export interface TestFeedServer {
  port: number;
  /** http://host:port */
  origin: string;
  url(path: string): string;
  route(path: string, handler: TestRoute): void;
  /** Every request received, in order. */
  requests: { path: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startTestFeedServer(host = '127.0.0.1'): Promise<TestFeedServer> {
  const routes = new Map<string, TestRoute>();
  const requests: TestFeedServer['requests'] = [];
  const server = http.createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push({ path, headers: request.headers });
    const handler = routes.get(path.split('?')[0] ?? path);
    if (handler) handler(request, response);
    else response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    port,
    origin,
    url: (path) => `${origin}${path}`,
    route: (path, handler) => routes.set(path, handler),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

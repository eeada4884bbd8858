// A router of fixed latency on loopback (the enrichment README's contract):
// every request answers after `latencyMs` with one category per product.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRouter {
  url: string;
  requests: () => number;
  close(): Promise<void>;
}

export async function startStubRouter(latencyMs: number, categoryId = '1022'): Promise<StubRouter> {
  let requests = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      requests++;
      const { products } = JSON.parse(body) as { products: { id: string }[] };
      const answer = JSON.stringify({ results: products.map((p) => ({ id: p.id, categoryId, confidence: 0.9 })) });
      setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end(answer), latencyMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/classify`,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// A classification service on loopback standing in for the router or a chat-completions endpoint:
// the test sets how it answers and reads back every request it got.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  at: number;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface StubAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait this long before answering (a slow service). */
  delayMs?: number;
}

export type StubHandler = (request: StubRequest, index: number) => StubAnswer | Promise<StubAnswer>;

export interface ClassifierServer {
  url(path?: string): string;
  handle(handler: StubHandler): void;
  requests: StubRequest[];
  close(): Promise<void>;
}

export async function startClassifierServer(handler: StubHandler = () => ({ status: 404 })): Promise<ClassifierServer> {
  let current = handler;
  const requests: StubRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // keep the text
        }
        const entry: StubRequest = { at: Date.now(), path: request.url ?? '/', headers: request.headers, body };
        requests.push(entry);
        const answer = await current(entry, requests.length - 1);
        if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
        if (response.destroyed) return;
        const payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
        response.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers }).end(payload);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path = '/classify') => `http://127.0.0.1:${port}${path}`,
    handle: (next) => {
      current = next;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface RouterProduct {
  id: string;
  name: string;
}

/** The products of a router request. */
export function routerProducts(request: StubRequest): RouterProduct[] {
  return ((request.body as { products?: RouterProduct[] }).products ?? []).map((product) => ({ id: String(product.id), name: product.name }));
}

/** A router answer putting every product of the request in `categoryId`. */
export function routerAnswer(request: StubRequest, categoryId = '1022'): StubAnswer {
  return { body: { results: routerProducts(request).map((product) => ({ id: product.id, categoryId, confidence: 0.9 })) } };
}

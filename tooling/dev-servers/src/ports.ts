import { createServer } from 'node:net';

/**
 * Asks the OS for a free TCP port on `host` by listening on port 0 and closing again.
 * Another process may take the port before the caller binds it, so servers started
 * on such a port retry with a fresh one when binding fails.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`Could not read the port the OS assigned on ${host}`));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** `host:port`, with brackets around IPv6 literals so the result is a valid authority. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

import { createServer } from 'node:net';

/** Whether nothing listens on `host:port` yet (by binding it for a moment). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * `preferred` when it is free, else undefined (the caller takes any free port). Keeping the same
 * ports across starts keeps the web UI bookmark and the demo feed URLs stable.
 */
export async function preferredPort(preferred: number | undefined, host = '127.0.0.1'): Promise<number | undefined> {
  if (preferred === undefined) return undefined;
  return (await isPortFree(preferred, host)) ? preferred : undefined;
}

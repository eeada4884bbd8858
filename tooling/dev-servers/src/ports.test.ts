import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findFreePort, formatHostPort } from './ports.js';

describe('findFreePort', () => {
  it('returns a port that can be listened on', async () => {
    const port = await findFreePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('formatHostPort', () => {
  it('brackets IPv6 literals', () => {
    expect(formatHostPort('127.0.0.1', 7233)).toBe('127.0.0.1:7233');
    expect(formatHostPort('::1', 7233)).toBe('[::1]:7233');
  });
});

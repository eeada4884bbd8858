import { afterEach, describe, expect, it } from 'vitest';
import { loadDemoSuppliers } from './demo-suppliers.js';
import { startFeedHost, type FeedHost } from './feed-host.js';

describe('the demo feed host', () => {
  let host: FeedHost | undefined;
  afterEach(async () => {
    await host?.close();
    host = undefined;
  });

  it('serves every shipped demo feed on loopback with an ETag, and 304 when it matches', async () => {
    const suppliers = loadDemoSuppliers();
    expect(suppliers.map((s) => s.format).sort()).toEqual(['csv', 'yml']);
    host = await startFeedHost(suppliers);
    for (const supplier of suppliers) {
      const url = host.url(supplier);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      const first = await fetch(url);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toBe(supplier.contentType);
      expect(Buffer.from(await first.arrayBuffer()).equals(supplier.body)).toBe(true);
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
      const again = await fetch(url, { headers: { 'if-none-match': etag! } });
      expect(again.status).toBe(304);
      const stale = await fetch(url, { headers: { 'if-none-match': '"something-else"' } });
      expect(stale.status).toBe(200);
      await stale.arrayBuffer();
    }
    const missing = await fetch(`http://127.0.0.1:${host.port}/nope.csv`);
    expect(missing.status).toBe(404);
    await missing.arrayBuffer();
  });
});

// A supplier's feed host misbehaving: each fault is retried until the feed comes
// through, or fails with a clear, non-retryable error; either way nothing stored
// before is lost and nothing is marked missing because of the fault.
import { gzipSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvFeed } from '../src/feeds.js';
import { rootFailure } from '../src/failures.js';
import { startHarvestSetup, type HarvestSetup } from '../src/harvest-setup.js';

const COUNT = 2_000;
let h: HarvestSetup;

beforeAll(async () => {
  h = await startHarvestSetup();
});
afterAll(async () => {
  await h?.stop();
});

/** A supplier whose first harvest stored COUNT products; the next feed changes every price. */
async function supplierWithProducts(id: string): Promise<{ path: string; next: Buffer }> {
  const path = `/${id}.csv`;
  h.feeds.set(path, { body: csvFeed(COUNT) });
  await h.addSupplier({ id, feedUrl: h.feeds.url(path), format: 'csv' });
  expect(await h.harvest(id)).toMatchObject({ status: 'completed', created: COUNT });
  return { path, next: Buffer.from(csvFeed(COUNT, { price: (i) => i + 0.5 })) };
}

function serve(res: ServerResponse, body: Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(body.length), ...headers });
  res.end(body);
}

/** The second harvest went through after the fault: every product updated, none lost or missing. */
async function expectRecovered(id: string, path: string): Promise<void> {
  const result = await h.harvest(id);
  expect(result).toMatchObject({ status: 'completed', created: 0, updated: COUNT, unchanged: 0, invalid: 0, markedMissing: 0 });
  expect(h.feeds.requests(path)).toBeGreaterThanOrEqual(3); // first harvest, the faulty attempt, the retry
  expect(await h.count(id)).toBe(COUNT);
  expect(await h.count(id, { missing: true })).toBe(0);
}

describe('feed host faults', () => {
  it('a 500 then success: retried, completes with exact counts', async () => {
    const { path, next } = await supplierWithProducts('fault-500');
    h.feeds.handle(path, (_req, res, n) => (n === 2 ? res.writeHead(500).end('upstream broke') : serve(res, next)));
    await expectRecovered('fault-500', path);
  });

  it('a connection reset in the middle of the body: retried, completes', async () => {
    const { path, next } = await supplierWithProducts('fault-reset');
    h.feeds.handle(path, (req, res, n) => {
      if (n !== 2) return serve(res, next);
      res.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(next.length) });
      res.write(next.subarray(0, next.length >> 1), () => req.socket.resetAndDestroy());
    });
    await expectRecovered('fault-reset', path);
  });

  it('a body that stalls: the read timeout (30 s) fires, retried, completes', async () => {
    const { path, next } = await supplierWithProducts('fault-stall');
    h.feeds.handle(path, (_req, res, n) => {
      if (n !== 2) return serve(res, next);
      res.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(next.length) });
      res.write(next.subarray(0, 1000)); // and never more
    });
    await expectRecovered('fault-stall', path);
  });

  it('a truncated gzip stream: reported as corrupt, retried, completes', async () => {
    const { path, next } = await supplierWithProducts('fault-gzip');
    const gz = gzipSync(next);
    const truncated = gz.subarray(0, gz.length - 200);
    h.feeds.handle(path, (_req, res, n) => serve(res, n === 2 ? truncated : gz, { 'content-encoding': 'gzip' }));
    await expectRecovered('fault-gzip', path);
  });

  it('a Content-Length larger than the body sent: reported as incomplete, retried, completes', async () => {
    const { path, next } = await supplierWithProducts('fault-length');
    h.feeds.handle(path, (req, res, n) => {
      if (n !== 2) return serve(res, next);
      res.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(next.length + 4096) });
      res.write(next, () => req.socket.end()); // all bytes there are, then a clean close
    });
    await expectRecovered('fault-length', path);
  });

  it('an HTML error page with status 200: fails at once, clearly; nothing lost or marked missing', async () => {
    const { path } = await supplierWithProducts('fault-html');
    h.feeds.set(path, { body: '<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>', contentType: 'text/html; charset=utf-8' });
    const before = h.feeds.requests(path);
    const failure = await rootFailure(h.harvest('fault-html'));
    expect(failure.type).toBe('FeedNotAFeed');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/HTML page/);
    expect(h.feeds.requests(path) - before).toBe(1);
    expect(await h.count('fault-html')).toBe(COUNT);
    expect(await h.count('fault-html', { missing: true })).toBe(0);
    const [run] = await h.catalog.query<{ status: string; errors: string }>(
      `select status, errors::text from harvest_runs where tenant_id = $1 and supplier_id = 'fault-html' order by started_at desc limit 1`,
      [h.tenantId],
    );
    expect(run).toMatchObject({ status: 'failed' });
    expect(run?.errors).toMatch(/HTML page/);
  });
});

// SSRF: a supplier's feed URL (or a redirect from it) aimed at loopback, cloud
// metadata, private ranges or IPv6 local addresses is refused before any byte
// is sent, unless HARVEST_ALLOW_NETWORKS allow-lists the network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvFeed } from '../src/feeds.js';
import { rootFailure } from '../src/failures.js';
import { startHarvestSetup, type HarvestSetup } from '../src/harvest-setup.js';

async function expectRefused(h: HarvestSetup, id: string, feedUrl: string): Promise<string> {
  await h.addSupplier({ id, feedUrl, format: 'csv' });
  const failure = await rootFailure(h.harvest(id));
  expect(failure.type, `${feedUrl}: ${failure.chain}`).toBe('FeedBlockedAddress');
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toContain('HARVEST_ALLOW_NETWORKS');
  expect(await h.count(id)).toBe(0);
  return failure.message;
}

describe('with no allow-list', () => {
  let h: HarvestSetup;
  beforeAll(async () => {
    h = await startHarvestSetup({ workerEnv: { HARVEST_ALLOW_NETWORKS: '' } });
    h.feeds.set('/feed.csv', { body: csvFeed(3) });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('refuses loopback, metadata, private, IPv6 local and disguised addresses, and a hostname resolving to loopback', async () => {
    const port = new URL(h.feeds.url('/')).port;
    const targets: [string, string][] = [
      ['loopback', `http://127.0.0.1:${port}/feed.csv`],
      ['hostname', `http://localhost:${port}/feed.csv`],
      ['metadata', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
      ['private-10', 'http://10.0.0.1/feed.csv'],
      ['private-172', 'http://172.16.5.4/feed.csv'],
      ['private-192', 'http://192.168.1.1/feed.csv'],
      ['cgnat', 'http://100.64.0.1/feed.csv'],
      ['unspecified', `http://0.0.0.0:${port}/feed.csv`],
      ['ipv6-loopback', `http://[::1]:${port}/feed.csv`],
      ['ipv6-link-local', 'http://[fe80::1]/feed.csv'],
      ['ipv6-unique-local', 'http://[fd00::1]/feed.csv'],
      ['ipv4-mapped', `http://[::ffff:127.0.0.1]:${port}/feed.csv`],
      ['hex-ip', `http://0x7f000001:${port}/feed.csv`],
      ['decimal-ip', `http://2130706433:${port}/feed.csv`],
    ];
    const messages = await Promise.all(targets.map(([name, url]) => expectRefused(h, `ssrf-${name}`, url)));
    expect(messages[1]).toMatch(/localhost/);
    expect(h.feeds.requests('/feed.csv')).toBe(0);
  });
});

describe('with 127.0.0.1/32 allow-listed', () => {
  let h: HarvestSetup;
  beforeAll(async () => {
    h = await startHarvestSetup({ workerEnv: { HARVEST_ALLOW_NETWORKS: '127.0.0.1/32' } });
    h.feeds.set('/feed.csv', { body: csvFeed(3) });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('harvests from the allow-listed address', async () => {
    await h.addSupplier({ id: 'allowed', feedUrl: h.feeds.url('/feed.csv'), format: 'csv' });
    expect(await h.harvest('allowed')).toMatchObject({ status: 'completed', created: 3 });
  });

  it('refuses a redirect from the allowed host to a private, metadata, other loopback or IPv6 loopback address', async () => {
    const port = new URL(h.feeds.url('/')).port;
    const targets: [string, string][] = [
      ['metadata', 'http://169.254.169.254/latest/meta-data/'],
      ['private', 'http://10.0.0.1/feed.csv'],
      ['other-loopback', `http://127.0.0.2:${port}/feed.csv`],
      ['ipv6-loopback', `http://[::1]:${port}/feed.csv`],
    ];
    await Promise.all(
      targets.map(([name, target]) => {
        h.feeds.handle(`/redirect-${name}`, (_req, res) => res.writeHead(302, { location: target }).end());
        return expectRefused(h, `redirect-${name}`, h.feeds.url(`/redirect-${name}`));
      }),
    );
    for (const [name] of targets) expect(h.feeds.requests(`/redirect-${name}`)).toBe(1);
  });
});

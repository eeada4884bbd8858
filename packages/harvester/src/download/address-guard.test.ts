import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { checkAddress, createPinnedLookup, vetHost } from './address-guard.js';
import type { AllowedNetwork } from './address-guard.js';
import { FeedBlockedAddressError, FeedNetworkError, FeedTimeoutError } from './errors.js';

const none: AllowedNetwork[] = [];
const resolveTo = (...addresses: LookupAddress[]) => () => Promise.resolve(addresses);

describe('checkAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.1.2.3', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:c0a8:0101::1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['not-an-ip', 'invalid'],
  ])('refuses %s (%s)', (address, category) => {
    expect(checkAddress(address, none)).toEqual({ allowed: false, category });
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::6810:84e5', '::ffff:8.8.8.8'])('allows public %s', (address) => {
    expect(checkAddress(address, none)).toEqual({ allowed: true, category: 'public', allowListed: false });
  });

  it('allows non-public addresses inside an allow-listed CIDR only', () => {
    const allow: AllowedNetwork[] = [
      { address: '10.20.0.0', prefix: 16, family: 'ipv4' },
      { address: 'fd00::', prefix: 8, family: 'ipv6' },
    ];
    expect(checkAddress('10.20.3.4', allow)).toEqual({ allowed: true, category: 'private', allowListed: true });
    expect(checkAddress('::ffff:10.20.3.4', allow)).toMatchObject({ allowed: true });
    expect(checkAddress('fd00::5', allow)).toMatchObject({ allowed: true });
    expect(checkAddress('10.21.0.1', allow)).toEqual({ allowed: false, category: 'private' });
    expect(checkAddress('127.0.0.2', [{ address: '127.0.0.1', prefix: 32, family: 'ipv4' }])).toMatchObject({ allowed: false });
  });
});

describe('vetHost', () => {
  const options = { allowNetworks: none, timeoutMs: 1000 };

  it('returns the addresses of a public host', async () => {
    const addresses = [{ address: '93.184.216.34', family: 4 }];
    await expect(vetHost(new URL('https://feeds.example/a.xml'), { ...options, resolve: resolveTo(...addresses) })).resolves.toEqual(addresses);
  });

  it('refuses a host when any resolved address is blocked', async () => {
    const resolve = resolveTo({ address: '93.184.216.34', family: 4 }, { address: '169.254.169.254', family: 4 });
    const error = await vetHost(new URL('https://user:pw@rebind.example/a.xml'), { ...options, resolve }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedBlockedAddressError);
    expect(error).toMatchObject({ host: 'rebind.example', address: '169.254.169.254', category: 'link-local' });
    expect((error as Error).message).toContain('https://user:***@rebind.example/a.xml');
    expect((error as Error).message).toContain('HARVEST_ALLOW_NETWORKS');
  });

  it('refuses localhost through the real resolver', async () => {
    await expect(vetHost(new URL('http://localhost/feed.xml'), options)).rejects.toMatchObject({ name: 'FeedBlockedAddressError', category: 'loopback' });
  });

  it('checks IP literals without resolving them', async () => {
    const resolve = () => Promise.reject(new Error('must not resolve'));
    await expect(vetHost(new URL('http://[::1]:8080/'), { ...options, resolve })).rejects.toMatchObject({ address: '::1' });
    await expect(vetHost(new URL('http://[::ffff:127.0.0.1]/'), { ...options, resolve })).rejects.toBeInstanceOf(FeedBlockedAddressError);
    await expect(vetHost(new URL('http://8.8.8.8/'), { ...options, resolve })).resolves.toEqual([{ address: '8.8.8.8', family: 4 }]);
  });

  it('reports DNS failures and slow lookups', async () => {
    const notFound = () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    await expect(vetHost(new URL('https://nowhere.example/'), { ...options, resolve: notFound })).rejects.toMatchObject({
      name: 'FeedNetworkError',
      code: 'ENOTFOUND',
      retryable: true,
    });
    const never = () => new Promise<LookupAddress[]>(() => undefined);
    const error = await vetHost(new URL('https://slow.example/'), { allowNetworks: none, timeoutMs: 50, resolve: never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedTimeoutError);
    expect(error).toMatchObject({ phase: 'connect' });
    await expect(vetHost(new URL('https://empty.example/'), { ...options, resolve: resolveTo() })).rejects.toBeInstanceOf(FeedNetworkError);
  });
});

describe('createPinnedLookup', () => {
  const pinned = createPinnedLookup([
    { address: '93.184.216.34', family: 4 },
    { address: '2606:2800::1', family: 6 },
  ]);
  const call = (lookup: typeof pinned, options: Parameters<typeof pinned>[1]) =>
    new Promise<unknown[]>((resolve) => lookup('feeds.example', options, (...args) => resolve(args)));

  it('answers only with the vetted addresses, whatever the hostname', async () => {
    expect(await call(pinned, {})).toEqual([null, '93.184.216.34', 4]);
    expect(await call(pinned, { family: 6 })).toEqual([null, '2606:2800::1', 6]);
    expect(await call(pinned, { all: true })).toEqual([null, [{ address: '93.184.216.34', family: 4 }, { address: '2606:2800::1', family: 6 }]]);
  });

  it('fails rather than fall back to DNS when no vetted address fits the family', async () => {
    const [error] = await call(createPinnedLookup([{ address: '1.1.1.1', family: 4 }]), { family: 6 });
    expect(error).toMatchObject({ code: 'ENOTFOUND' });
  });
});

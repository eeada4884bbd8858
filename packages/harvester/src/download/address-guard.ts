import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { FeedBlockedAddressError, FeedNetworkError, FeedTimeoutError } from './errors.js';
import { embeddedIpv4, inRange, parseIp, parseRange } from './ip-address.js';
import type { IpAddress, IpRange } from './ip-address.js';

/**
 * The SSRF guard: a feed URL may only reach public addresses, unless the deployment
 * allow-lists a network in HARVEST_ALLOW_NETWORKS. The host is resolved here, every
 * resolved address is vetted, and the connection is then pinned to the vetted
 * addresses (see `createPinnedLookup`), so a DNS answer that changes between the check
 * and the connect (DNS rebinding) cannot smuggle in another address.
 */

/** An allow-listed CIDR; the same shape as the worker configuration's parsed HARVEST_ALLOW_NETWORKS. */
export interface AllowedNetwork {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

export type BlockedCategory =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unspecified'
  | 'shared (CGNAT)'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'invalid';

export type AddressCheck =
  | { allowed: true; category: 'public' | BlockedCategory; allowListed: boolean }
  | { allowed: false; category: BlockedCategory };

const BLOCKED: { range: IpRange; category: BlockedCategory }[] = (
  [
    ['0.0.0.0/8', 'unspecified'],
    ['10.0.0.0/8', 'private'],
    ['100.64.0.0/10', 'shared (CGNAT)'],
    ['127.0.0.0/8', 'loopback'],
    ['169.254.0.0/16', 'link-local'], // includes the cloud metadata address 169.254.169.254
    ['172.16.0.0/12', 'private'],
    ['192.0.0.0/24', 'reserved'], // IETF assignments; some clouds serve metadata here
    ['192.0.2.0/24', 'reserved'],
    ['192.168.0.0/16', 'private'],
    ['198.18.0.0/15', 'reserved'],
    ['198.51.100.0/24', 'reserved'],
    ['203.0.113.0/24', 'reserved'],
    ['224.0.0.0/4', 'multicast'],
    ['255.255.255.255/32', 'broadcast'],
    ['240.0.0.0/4', 'reserved'],
    ['::/128', 'unspecified'],
    ['::1/128', 'loopback'],
    ['64:ff9b:1::/48', 'private'],
    ['100::/64', 'reserved'],
    ['2001:db8::/32', 'reserved'],
    ['fc00::/7', 'private'],
    ['fe80::/10', 'link-local'],
    ['fec0::/10', 'private'],
    ['ff00::/8', 'multicast'],
  ] as const
).map(([range, category]) => ({ range: parseRange(range), category }));

function categorize(ip: IpAddress): 'public' | BlockedCategory {
  const own = BLOCKED.find((entry) => inRange(ip, entry.range));
  if (own) return own.category;
  const v4 = embeddedIpv4(ip);
  return v4 ? categorize(v4) : 'public';
}

function isAllowListed(ip: IpAddress, allowNetworks: readonly AllowedNetwork[]): boolean {
  const candidates = [ip, embeddedIpv4(ip)].filter((c): c is IpAddress => c !== undefined);
  return allowNetworks.some((network) => {
    const base = parseIp(network.address);
    if (!base) return false;
    const range: IpRange = { ...base, prefix: network.prefix };
    return candidates.some((candidate) => inRange(candidate, range));
  });
}

/**
 * Vets one IP address literal: public addresses are allowed; loopback, private,
 * link-local, unspecified, CGNAT, multicast, broadcast and reserved ones (also as
 * IPv4-mapped, NAT64 or 6to4 IPv6) only inside an allow-listed network.
 */
export function checkAddress(address: string, allowNetworks: readonly AllowedNetwork[]): AddressCheck {
  const ip = parseIp(address);
  if (!ip) return { allowed: false, category: 'invalid' };
  const category = categorize(ip);
  const allowListed = isAllowListed(ip, allowNetworks);
  if (category === 'public' || allowListed) return { allowed: true, category, allowListed };
  return { allowed: false, category };
}

export interface VetHostOptions {
  allowNetworks: readonly AllowedNetwork[];
  /** Time allowed for the DNS lookup; it counts toward the connect timeout. */
  timeoutMs: number;
  /** Resolver override, for tests; defaults to `dns.lookup` with `all: true`. */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Resolves the URL's host and returns its addresses if every one of them is allowed;
 * throws FeedBlockedAddressError naming the first refused address otherwise.
 */
export async function vetHost(url: URL, options: VetHostOptions): Promise<LookupAddress[]> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: LookupAddress[];
  const literal = parseIp(host);
  if (literal) {
    addresses = [{ address: host, family: literal.family === 'ipv4' ? 4 : 6 }];
  } else {
    const resolve = options.resolve ?? ((name: string) => dnsLookup(name, { all: true, order: 'verbatim' }));
    try {
      addresses = await withTimeout(
        resolve(host),
        options.timeoutMs,
        () => new FeedTimeoutError({ url, phase: 'connect', timeoutMs: options.timeoutMs }),
      );
    } catch (error) {
      if (error instanceof FeedTimeoutError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new FeedNetworkError({ url, code, detail: `DNS lookup of "${host}" failed (${code ?? String(error)})`, cause: error });
    }
    if (addresses.length === 0) {
      throw new FeedNetworkError({ url, code: 'ENOTFOUND', detail: `DNS lookup of "${host}" returned no address` });
    }
  }
  for (const { address } of addresses) {
    const verdict = checkAddress(address, options.allowNetworks);
    if (!verdict.allowed) throw new FeedBlockedAddressError({ url, host, address, category: verdict.category });
  }
  return addresses;
}

/**
 * A `lookup` for http.request that answers only with already vetted addresses, so the
 * socket connects exactly where the guard looked; Host header and TLS server name
 * still come from the URL.
 */
export function createPinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
    const candidates = wanted === 0 ? [...addresses] : addresses.filter((a) => a.family === wanted);
    const first = candidates[0];
    if (!first) {
      const error: NodeJS.ErrnoException = new Error(`No vetted IPv${wanted} address for ${hostname}`);
      error.code = 'ENOTFOUND';
      callback(error, '', wanted);
      return;
    }
    if (options.all) callback(null, candidates);
    else callback(null, first.address, first.family);
  };
}

import { isIPv4, isIPv6 } from 'node:net';

/**
 * IP addresses as integers, so ranges can be compared exactly, including the IPv6
 * forms that embed an IPv4 address (::ffff:127.0.0.1 and friends).
 */

export type IpFamily = 'ipv4' | 'ipv6';

export interface IpAddress {
  family: IpFamily;
  value: bigint;
}

export interface IpRange {
  family: IpFamily;
  /** The first address of the range. */
  value: bigint;
  prefix: number;
}

function parseIpv4(text: string): bigint {
  return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function parseIpv6(text: string): bigint {
  // A dotted IPv4 tail (::ffff:1.2.3.4) stands for the last two groups.
  const body = text.replace(/(\d+\.\d+\.\d+\.\d+)$/, (v4) => {
    const value = parseIpv4(v4);
    return `${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  });
  const toGroups = (part: string): bigint[] => (part === '' ? [] : part.split(':').map((g) => BigInt(`0x${g}`)));
  const [head = '', rest] = body.split('::');
  const left = toGroups(head);
  const right = rest === undefined ? [] : toGroups(rest);
  const zeros = Array<bigint>(8 - left.length - right.length).fill(0n);
  return [...left, ...zeros, ...right].reduce((acc, group) => (acc << 16n) | group, 0n);
}

/** Parses an IPv4 or IPv6 literal (brackets and a %zone are allowed); undefined if it is not one. */
export function parseIp(text: string): IpAddress | undefined {
  const bare = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (isIPv4(bare)) return { family: 'ipv4', value: parseIpv4(bare) };
  if (isIPv6(bare)) return { family: 'ipv6', value: parseIpv6(bare) };
  return undefined;
}

/** Parses "10.0.0.0/8" or "fe80::/10"; a literal without a prefix is a single address. */
export function parseRange(text: string): IpRange {
  const [address = '', prefixText] = text.split('/');
  const parsed = parseIp(address);
  if (!parsed) throw new Error(`Not an IP range: ${text}`);
  const prefix = prefixText === undefined ? (parsed.family === 'ipv4' ? 32 : 128) : Number(prefixText);
  return { ...parsed, prefix };
}

/** Whether the address lies inside the range (same family only). */
export function inRange(address: IpAddress, range: IpRange): boolean {
  if (address.family !== range.family) return false;
  const bits = address.family === 'ipv4' ? 32 : 128;
  const shift = BigInt(bits - range.prefix);
  return address.value >> shift === range.value >> shift;
}

const MAPPED = parseRange('::ffff:0:0/96');
const COMPATIBLE = parseRange('::/96');
const NAT64 = parseRange('64:ff9b::/96');
const SIX_TO_FOUR = parseRange('2002::/16');

/**
 * The IPv4 address an IPv6 address carries, if any: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:AABB:CCDD::).
 * Connections to these can end up at that IPv4 address, so it is vetted too.
 */
export function embeddedIpv4(address: IpAddress): IpAddress | undefined {
  if (address.family !== 'ipv6') return undefined;
  if (inRange(address, MAPPED) || inRange(address, NAT64)) return { family: 'ipv4', value: address.value & 0xffffffffn };
  // ::/96 without :: and ::1, which are IPv6's own unspecified and loopback addresses.
  if (inRange(address, COMPATIBLE) && address.value > 1n) return { family: 'ipv4', value: address.value & 0xffffffffn };
  if (inRange(address, SIX_TO_FOUR)) return { family: 'ipv4', value: (address.value >> 80n) & 0xffffffffn };
  return undefined;
}

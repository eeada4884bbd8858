import { isIP } from 'node:net';
import { z } from 'zod';

// Small zod building blocks for environment strings. Each error message says
// what was expected, so ConfigError lines read well on their own.

export const hostPort = z
  .string()
  .trim()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port, e.g. localhost:7233')
  .refine((value) => Number(value.slice(value.lastIndexOf(':') + 1)) <= 65535, 'port must be at most 65535');

export function integer(options: { min: number; max: number }) {
  return z
    .string()
    .trim()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .refine((n) => n >= options.min && n <= options.max, `expected a number from ${options.min} to ${options.max}`);
}

export const boolean = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['1', '0', 'true', 'false', 'yes', 'no'].includes(v), 'expected true or false')
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

export const identifier = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'expected lowercase letters, digits, - or _ (at most 63 characters)');

export const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'postgres:' || url.protocol === 'postgresql:';
    } catch {
      return false;
    }
  }, 'expected a postgres:// or postgresql:// URL');

export const httpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'expected an http:// or https:// URL');

/** A CIDR such as 10.0.0.0/8 or fd00::/8; a bare address means a single host. */
export interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

export function parseCidr(text: string): Cidr | undefined {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const version = isIP(address);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

export const cidrList = z.string().transform((value, ctx) => {
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  const cidrs: Cidr[] = [];
  for (const entry of entries) {
    const cidr = parseCidr(entry);
    if (cidr) cidrs.push(cidr);
    else ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${entry}" is not a CIDR such as 10.0.0.0/8 or ::1/128` });
  }
  return cidrs;
});

/** Byte sizes: a whole number of bytes, or with a KiB/MiB/GiB (or KB/MB/GB) suffix. */
export const byteSize = z.string().trim().transform((value, ctx) => {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?$/i.exec(value);
  if (!match) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'expected a size such as 500MiB, 4GiB or a number of bytes' });
    return z.NEVER;
  }
  const unit = (match[2] ?? 'b').toLowerCase();
  const factor = { b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 }[unit] ?? 1;
  const bytes = Math.floor(Number(match[1]) * factor);
  if (bytes < 1) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be at least 1 byte' });
    return z.NEVER;
  }
  return bytes;
});

import { z } from 'zod';
import { InvalidSupplierError, type CatalogIssue } from './errors.js';
import { FEED_FORMATS, type FeedFormat, type SupplierOptions } from './schema.js';

/** A supplier as written by `upsertSupplier` (and `contextworker suppliers add`). */
export interface SupplierInput {
  /** Slug unique within the tenant, e.g. `camping-trade`. */
  id: string;
  /** Display name. Default: the id. */
  name?: string;
  /** http(s) URL of the feed, without credentials (use `options.authHeader`). */
  feedUrl: string;
  format: FeedFormat;
  /** Id of a registered transformer that maps this supplier's records. */
  transformer?: string | null;
  /** 5-field cron expression or @hourly/@daily/@weekly/@monthly/@yearly; unset = the default schedule. */
  harvestCron?: string | null;
  options?: SupplierOptions;
}

/** The validated, normalized form stored in `suppliers`. */
export interface ValidSupplier {
  id: string;
  name: string;
  feedUrl: string;
  format: FeedFormat;
  transformer: string | null;
  harvestCron: string | null;
  options: SupplierOptions;
}

export const SUPPLIER_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const CRON_SHORTHANDS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const CRON_FIELD = /^[0-9A-Za-z*?,/-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const TRANSFORMER_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$/;

const emptyToNull = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? null : value);

const supplierId = z
  .string({ required_error: 'is required' })
  .trim()
  .regex(SUPPLIER_ID_PATTERN, 'must be a slug of lower-case letters, digits and inner hyphens (1-64 characters), e.g. "camping-trade"');

const feedUrl = z
  .string({ required_error: 'is required' })
  .trim()
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a URL` });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: `must be http or https, not ${url.protocol.slice(0, -1)}` });
    if (url.username || url.password)
      ctx.addIssue({ code: 'custom', message: 'must not contain credentials; reference a secret with options.authHeader ({ name, env }) instead' });
  });

const cron = z.preprocess(
  emptyToNull,
  z
    .string()
    .trim()
    .refine((value) => {
      if (value.startsWith('@')) return CRON_SHORTHANDS.includes(value.toLowerCase());
      const fields = value.split(/\s+/);
      return fields.length === 5 && fields.every((field) => CRON_FIELD.test(field));
    }, 'must be a 5-field cron expression ("0 */6 * * *") or one of ' + CRON_SHORTHANDS.join(', '))
    .nullable()
    .optional(),
);

const optionsSchema = z
  .object({
    encoding: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9_.:-]+$/, 'must be an encoding label such as utf-8 or windows-1251').optional(),
    delimiter: z
      .string()
      .refine((value) => [...value].length === 1 && value !== '"' && value !== '\n' && value !== '\r', 'must be a single character other than a quote or newline')
      .optional(),
    recordPath: z.string().trim().min(1).optional(),
    arrayPath: z.string().trim().optional(),
    fields: z.record(z.string().min(1)).optional(),
    authHeader: z
      .object({
        name: z.string().regex(HEADER_NAME, 'must be an HTTP header name such as Authorization'),
        env: z.string().regex(ENV_NAME, 'must be the NAME of an environment variable holding the value, never the value itself'),
      })
      .strict()
      .optional(),
    transformerOptions: z.record(z.unknown()).optional(),
  })
  .strict();

const supplierSchema = z
  .object({
    id: supplierId,
    name: z.preprocess(emptyToNull, z.string().trim().max(200).nullable().optional()),
    feedUrl,
    format: z.enum(FEED_FORMATS, { errorMap: () => ({ message: `must be one of ${FEED_FORMATS.join(', ')}` }) }),
    transformer: z.preprocess(emptyToNull, z.string().trim().regex(TRANSFORMER_ID, 'must be a transformer id such as "camping-trade" or "@shop/feeds:acme"').nullable().optional()),
    harvestCron: cron,
    options: optionsSchema.default({}),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.format === 'xml' && !value.options.recordPath)
      ctx.addIssue({ code: 'custom', path: ['options', 'recordPath'], message: 'is required for format xml (e.g. "catalog/product")' });
    if (value.options.delimiter !== undefined && value.format !== 'csv')
      ctx.addIssue({ code: 'custom', path: ['options', 'delimiter'], message: `applies to format csv only, not ${value.format}` });
  });

export function issuesOf(error: z.ZodError): CatalogIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.join('.'),
    message: issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}` : issue.message,
  }));
}

/**
 * Validates and normalizes a supplier definition.
 *
 * @throws {InvalidSupplierError} listing every bad field.
 */
export function parseSupplierInput(input: unknown): ValidSupplier {
  const result = supplierSchema.safeParse(input);
  if (!result.success) {
    const id = typeof (input as { id?: unknown } | null)?.id === 'string' ? (input as { id: string }).id : undefined;
    throw new InvalidSupplierError(id, issuesOf(result.error));
  }
  const { id, name, feedUrl: url, format, transformer, harvestCron, options } = result.data;
  return {
    id,
    name: name ?? id,
    feedUrl: url,
    format,
    transformer: transformer ?? null,
    harvestCron: harvestCron ?? null,
    options: options as SupplierOptions,
  };
}

/** Every repository function takes a tenant and filters by it: an empty one is a programming error. */
export function requireTenant(tenantId: string): string {
  if (typeof tenantId !== 'string' || tenantId.trim() === '') throw new TypeError(`tenantId must be a non-empty string, got ${JSON.stringify(tenantId)}`);
  return tenantId;
}

/**
 * The product store's tables. Names are snake_case and form a contract: commerce and router
 * codebases read these tables directly, so a rename is a breaking change (see README.md).
 * Enumerated columns are text with CHECK constraints rather than PostgreSQL enums, so a new
 * value is one migration that never rewrites a type other readers depend on.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const FEED_FORMATS = ['csv', 'json', 'jsonl', 'xml', 'yml', 'google-merchant'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export const ENRICHMENT_STATUSES = ['pending', 'processing', 'done', 'failed'] as const;
export type EnrichmentStatus = (typeof ENRICHMENT_STATUSES)[number];

export const HARVEST_RUN_STATUSES = ['running', 'completed', 'unchanged', 'failed', 'dry_run'] as const;
export type HarvestRunStatus = (typeof HARVEST_RUN_STATUSES)[number];

/** How a supplier's feed is read; secrets are referenced by environment variable name, never stored. */
export interface SupplierOptions {
  /** Character encoding of the feed (e.g. "windows-1251"); unset = detect. */
  encoding?: string;
  /** CSV delimiter; unset = detect. */
  delimiter?: string;
  /** XML: path of the record elements from the root, e.g. "catalog/product". */
  recordPath?: string;
  /** JSON: dotted path of the record array, e.g. "data.items". */
  arrayPath?: string;
  /** Explicit source name per product field (CSV header, JSON key path, XML selector). */
  fields?: Record<string, string>;
  /** An HTTP header sent with the download, its value read from the named environment variable. */
  authHeader?: { name: string; env: string };
  /** Options read by the supplier's transformer. */
  transformerOptions?: Record<string, unknown>;
}

/** What enrichment decided for a product: a category of the fixed taxonomy and attributes. */
export interface EnrichmentResult {
  categoryId?: string;
  attributes?: Record<string, unknown>;
  confidence?: number;
  reason?: string;
  [key: string]: unknown;
}

/** One row-level problem of a harvest run, kept so a supplier can fix its feed. */
export interface HarvestRowError {
  /** 1-based index of the record in the feed. */
  record?: number;
  /** 1-based line where the record starts, for line-based formats. */
  line?: number;
  /** XML element path or JSON array path. */
  path?: string;
  externalId?: string;
  reason: string;
}

/** Where a retried store step resumes: what was already committed. */
/** Feed records `after` < record <= `through` stored by one batch, and what it counted. */
export interface StoredRange {
  after: number;
  through: number;
  created: number;
  updated: number;
  unchanged: number;
  batches: number;
}

export interface StoreProgress {
  /** Records of the staged file already stored (the next one to store is at this index). */
  recordsStored: number;
  /**
   * Ranges of records stored beyond `recordsStored` by batches written at once on several connections
   * (`upsertProductBatch`'s `range`), with their counts; they join `recordsStored` when the gap closes.
   */
  ahead?: StoredRange[];
  batches?: number;
  created?: number;
  updated?: number;
  unchanged?: number;
  duplicates?: number;
  [key: string]: unknown;
}

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const inList = (values: readonly string[]) => sql.raw(values.map((value) => `'${value}'`).join(', '));

export const suppliers = pgTable(
  'suppliers',
  {
    tenantId: text('tenant_id').notNull(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    feedUrl: text('feed_url').notNull(),
    format: text('format').$type<FeedFormat>().notNull(),
    transformer: text('transformer'),
    options: jsonb('options').$type<SupplierOptions>().notNull().default({}),
    harvestCron: text('harvest_cron'),
    lastEtag: text('last_etag'),
    lastModified: text('last_modified'),
    lastContentHash: text('last_content_hash'),
    lastHarvestAt: timestamptz('last_harvest_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ name: 'suppliers_pkey', columns: [table.tenantId, table.id] }),
    check('suppliers_format_check', sql`${table.format} in (${inList(FEED_FORMATS)})`),
  ],
);

export const dealerProducts = pgTable(
  'dealer_products',
  {
    // bigint identity: compact, ordered index inserts at millions of rows; exposed as a decimal string.
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text('tenant_id').notNull(),
    supplierId: text('supplier_id').notNull(),
    externalId: text('external_id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    vendor: text('vendor'),
    category: text('category'),
    categoryId: text('category_id'),
    price: numeric('price', { precision: 14, scale: 4 }),
    currency: char('currency', { length: 3 }),
    oldPrice: numeric('old_price', { precision: 14, scale: 4 }),
    stock: integer('stock'),
    available: boolean('available').notNull().default(true),
    url: text('url'),
    images: jsonb('images').$type<string[]>().notNull().default([]),
    barcode: text('barcode'),
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default({}),
    contentHash: text('content_hash').notNull(),
    // Hash of the feed record the content was read from (see ProductInput.sourceHash); null when unknown.
    sourceHash: text('source_hash'),
    enrichmentStatus: text('enrichment_status').$type<EnrichmentStatus>().notNull().default('pending'),
    enrichmentResult: jsonb('enrichment_result').$type<EnrichmentResult>(),
    enrichmentHash: text('enrichment_hash'),
    claimedBy: text('claimed_by'),
    claimExpiresAt: timestamptz('claim_expires_at'),
    missingSince: timestamptz('missing_since'),
    lastSeenRunId: uuid('last_seen_run_id'),
    firstSeenAt: timestamptz('first_seen_at').notNull().defaultNow(),
    lastSeenAt: timestamptz('last_seen_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('dealer_products_tenant_supplier_external_key').on(table.tenantId, table.supplierId, table.externalId),
    // The gardener's poll: pending products of a tenant in id order; the partial index stays small.
    index('dealer_products_pending_idx')
      .on(table.tenantId, table.id)
      .where(sql`${table.enrichmentStatus} = 'pending'`),
    // Enrichment of one harvest run claims that run's pending products, past any backlog of other runs.
    index('dealer_products_pending_run_idx')
      .on(table.tenantId, table.lastSeenRunId, table.id)
      .where(sql`${table.enrichmentStatus} = 'pending'`),
    // No foreign key to suppliers: its per-row check was a large part of the cost of storing a new product.
    // upsertProductBatch locks the supplier row once per batch instead, and removeSupplier deletes the
    // products with the supplier (or refuses).
    check('dealer_products_enrichment_status_check', sql`${table.enrichmentStatus} in (${inList(ENRICHMENT_STATUSES)})`),
  ],
);

export const harvestRuns = pgTable(
  'harvest_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: text('tenant_id').notNull(),
    supplierId: text('supplier_id').notNull(),
    status: text('status').$type<HarvestRunStatus>().notNull().default('running'),
    startedAt: timestamptz('started_at').notNull().defaultNow(),
    finishedAt: timestamptz('finished_at'),
    feedHash: text('feed_hash'),
    feedBytes: bigint('feed_bytes', { mode: 'number' }),
    createdCount: integer('created_count').notNull().default(0),
    updatedCount: integer('updated_count').notNull().default(0),
    unchangedCount: integer('unchanged_count').notNull().default(0),
    invalidCount: integer('invalid_count').notNull().default(0),
    duplicateCount: integer('duplicate_count').notNull().default(0),
    errorCount: integer('error_count').notNull().default(0),
    markedMissingCount: integer('marked_missing_count').notNull().default(0),
    durations: jsonb('durations').$type<Record<string, number>>().notNull().default({}),
    errors: jsonb('errors').$type<HarvestRowError[]>().notNull().default([]),
    storeProgress: jsonb('store_progress').$type<StoreProgress>(),
    dryRun: boolean('dry_run').notNull().default(false),
    workflowId: text('workflow_id'),
  },
  (table) => [
    index('harvest_runs_supplier_started_idx').on(table.tenantId, table.supplierId, table.startedAt),
    foreignKey({
      name: 'harvest_runs_supplier_fkey',
      columns: [table.tenantId, table.supplierId],
      foreignColumns: [suppliers.tenantId, suppliers.id],
    }).onDelete('cascade'),
    check('harvest_runs_status_check', sql`${table.status} in (${inList(HARVEST_RUN_STATUSES)})`),
  ],
);

/**
 * The unchanged products a harvest run has seen, one row per stored batch (their external ids as an
 * array), kept until the run finishes: the products it wrote carry its id in last_seen_run_id, these it
 * did not rewrite. Marking missing compares the supplier's catalogue with both. Written by the statement
 * that stores the batch (same transaction as its checkpoint); a row per batch rather than per product
 * keeps a re-harvest of a million unchanged products to a few hundred small writes.
 */
export const harvestRunSeen = pgTable(
  'harvest_run_seen',
  {
    tenantId: text('tenant_id').notNull(),
    harvestRunId: uuid('harvest_run_id').notNull(),
    externalIds: text('external_ids').array().notNull(),
  },
  (table) => [index('harvest_run_seen_run_idx').on(table.tenantId, table.harvestRunId)],
);

export type SupplierRow = typeof suppliers.$inferSelect;
export type DealerProductRow = typeof dealerProducts.$inferSelect;
export type HarvestRunRow = typeof harvestRuns.$inferSelect;

import { Context, heartbeat } from '@temporalio/activity';
import {
  countProducts,
  findUnchangedProducts,
  getHarvestRun,
  prepareProductBatch,
  previewProductBatch,
  productContentHash,
  upsertProductBatch,
  type Catalog,
  type PreparedProductBatch,
  type ProductInput,
  type StoreProgress,
} from '@contextworker/catalog';
import type { FeedRecord } from '../formats/feed-record.js';
import type { TransformerRegistry } from '../transformers/transformer-registry.js';
import type { HarvestRunRef, ParseAndStoreOutcome } from '../workflow/harvest-types.js';
import type { CatalogAccess } from './catalog-access.js';
import { openFeedRecords } from './feed-records.js';
import { permanentFailure } from './failures.js';
import { readingAhead } from './reading-ahead.js';

export const DEFAULT_STORE_BATCH_SIZE = 5_000;

export interface ParseAndStoreInput extends HarvestRunRef {
  stagedPath: string;
  encodingHint?: string;
  dryRun: boolean;
  feedSha256: string;
}

export interface ParseAndStoreDeps {
  catalog: CatalogAccess;
  open: () => Promise<Catalog>;
  transformers: TransformerRegistry;
  batchSize?: number;
}

function toProductInput(record: FeedRecord): ProductInput {
  const fields = {
    externalId: record.externalId,
    name: record.name,
    description: record.description ?? null,
    vendor: record.vendor ?? null,
    category: record.category ?? null,
    categoryId: record.categoryId ?? null,
    price: record.price ?? null,
    currency: record.currency ?? null,
    oldPrice: record.oldPrice ?? null,
    stock: record.stock ?? null,
    available: record.available ?? null,
    url: record.url ?? null,
    images: record.images,
    barcode: record.barcode ?? null,
    attributes: record.attributes,
  };
  return { ...fields, contentHash: productContentHash(fields) };
}

/** Batches of the valid records after the first `skip` (already stored by an earlier attempt). */
async function* batchesOf(chunks: AsyncGenerator<FeedRecord[]>, size: number, skip: number): AsyncGenerator<{ products: ProductInput[]; end: number }> {
  let index = 0;
  let products: ProductInput[] = [];
  for await (const records of chunks) {
    for (const record of records) {
      index++;
      if (index <= skip) continue;
      products.push(toProductInput(record));
      if (products.length >= size) {
        yield { products, end: index };
        products = [];
      }
    }
  }
  if (products.length > 0) yield { products, end: index };
}

/**
 * The batches ready to write, made while the previous one is written: unless the supplier was empty, the
 * products already stored unchanged are found first (by id and hash only) and left out, so most of a
 * re-harvest is never laid out and sent in full; the rest is checked and turned into columns.
 */
async function* prepared(
  batches: AsyncGenerator<{ products: ProductInput[]; end: number }>,
  findUnchanged: ((products: ProductInput[]) => Promise<number[]>) | undefined,
): AsyncGenerator<{ products: PreparedProductBatch; unchanged: string[]; end: number }> {
  for await (const batch of batches) {
    const positions = findUnchanged ? await findUnchanged(batch.products) : [];
    if (positions.length === 0) {
      yield { products: prepareProductBatch(batch.products), unchanged: [], end: batch.end };
      continue;
    }
    const skip = new Set(positions);
    const unchanged = positions.map((position) => batch.products[position]!.externalId);
    const rest = batch.products.filter((_, position) => !skip.has(position));
    yield { products: prepareProductBatch(rest), unchanged, end: batch.end };
  }
}

/**
 * Reads the staged feed through its format parser and the supplier's
 * transformer and stores the valid records in batches, in one pass: the next
 * batch is parsed while PostgreSQL writes the current one. Each batch is one
 * statement that also writes the run's checkpoint, so a retried attempt
 * (on this worker or, for the same feed hash, on another) parses again, skips
 * what was committed and keeps the counts exact. A dry run compares content
 * hashes and writes nothing.
 */
export async function parseAndStoreActivity(deps: ParseAndStoreDeps, input: ParseAndStoreInput): Promise<ParseAndStoreOutcome> {
  const feed = await openFeedRecords(deps, input);
  const catalog = await deps.open();
  const size = deps.batchSize ?? DEFAULT_STORE_BATCH_SIZE;
  const { tenantId, supplierId, harvestRunId } = input;
  const signal = Context.current().cancellationSignal;
  const parsed = () => ({ valid: feed.tally.valid, invalid: feed.tally.invalid, duplicates: feed.tally.duplicates });

  if (input.dryRun) {
    const totals = { created: 0, updated: 0, unchanged: 0, seenActive: 0 };
    for await (const batch of readingAhead(batchesOf(feed.records(), size, 0))) {
      signal.throwIfAborted();
      const preview = await previewProductBatch(catalog, { tenantId, supplierId, products: batch.products });
      totals.created += preview.created;
      totals.updated += preview.updated;
      totals.unchanged += preview.unchanged;
      totals.seenActive += preview.seenActive;
      heartbeat({ phase: 'storing', records: feed.tally.records, stored: batch.end, dryRun: true });
    }
    await deps.catalog.recordRowErrors(tenantId, harvestRunId, feed.tally.errors, { invalid: feed.tally.invalid });
    const active = await countProducts(catalog, { tenantId, supplierId, missing: false });
    const { seenActive, ...counts } = totals;
    return { ...parsed(), ...counts, errors: 0, wouldBeMissing: active - seenActive };
  }

  // Resume from what an earlier attempt committed (same statement as its rows) — also one on
  // another worker, when the feed it staged had the same hash (parsing is deterministic).
  const checkpoint = (await getHarvestRun(catalog, tenantId, harvestRunId)).storeProgress;
  const saved = checkpoint && checkpoint.feedSha256 === input.feedSha256 ? checkpoint : undefined;
  if (checkpoint && !saved) throw permanentFailure('FeedChangedDuringRun', new Error('Part of this run was stored from a different version of the feed; start a new harvest'));
  const progress: Required<Pick<StoreProgress, 'recordsStored' | 'created' | 'updated' | 'unchanged' | 'batches'>> = {
    recordsStored: saved?.recordsStored ?? 0,
    created: saved?.created ?? 0,
    updated: saved?.updated ?? 0,
    unchanged: saved?.unchanged ?? 0,
    batches: saved?.batches ?? 0,
  };
  // A first import (nothing stored for the supplier yet) inserts without looking each product up; if
  // another run writes the same supplier meanwhile, a batch fails on the unique key and the retry looks up.
  const supplierWasEmpty = progress.recordsStored === 0 && (await countProducts(catalog, { tenantId, supplierId })) === 0;
  const findUnchanged = supplierWasEmpty ? undefined : (products: ProductInput[]) => findUnchangedProducts(catalog, { tenantId, supplierId, products });
  // With look-ups, two stages ahead of the write: the feed is parsed and hashed while the look-up of the
  // batch before it runs, and that look-up runs while the batch before that is written. A first import
  // is bound by its inserts, and parsing further ahead would only take CPU from the database.
  const read = batchesOf(feed.records(), size, progress.recordsStored);
  const batches = findUnchanged ? readingAhead(read) : read;
  for await (const batch of readingAhead(prepared(batches, findUnchanged))) {
    signal.throwIfAborted();
    // The statement stores these totals plus this batch's counts together with the rows.
    const before = { ...progress, recordsStored: batch.end, batches: progress.batches + 1, feedSha256: input.feedSha256 };
    const result = await upsertProductBatch(catalog, { tenantId, supplierId, harvestRunId, products: batch.products, unchanged: batch.unchanged, progress: before, supplierWasEmpty });
    Object.assign(progress, before, {
      created: before.created + result.created,
      updated: before.updated + result.updated,
      unchanged: before.unchanged + result.unchanged,
    });
    heartbeat({ phase: 'storing', records: feed.tally.records, stored: progress.recordsStored, created: progress.created, updated: progress.updated, unchanged: progress.unchanged });
  }
  await deps.catalog.recordRowErrors(tenantId, harvestRunId, feed.tally.errors, { invalid: feed.tally.invalid });
  return { ...parsed(), created: progress.created, updated: progress.updated, unchanged: progress.unchanged, errors: 0 };
}

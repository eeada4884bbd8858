import { Context, heartbeat } from '@temporalio/activity';
import {
  countProducts,
  findUnchangedProducts,
  findUnchangedSources,
  getHarvestRun,
  prepareProductBatch,
  previewProductBatch,
  upsertProductBatch,
  type Catalog,
  type PreparedProductBatch,
  type ProductInput,
} from '@contextworker/catalog';
import type { TransformerRegistry } from '../transformers/transformer-registry.js';
import type { HarvestRunRef, ParseAndStoreOutcome } from '../workflow/harvest-types.js';
import type { CatalogAccess } from './catalog-access.js';
import { openFeedRecords, type FeedReader } from './feed-records.js';
import { permanentFailure } from './failures.js';
import { inOrderedLanes } from './ordered-lanes.js';
import { readingAhead } from './reading-ahead.js';
import { readAllRows, readEntries, recognizedRows, type StoreEntry } from './sourced-entries.js';

export const DEFAULT_STORE_BATCH_SIZE = 5_000;
/** Batches written at once on PostgreSQL: two keep both of its cores busy while the worker parses. */
export const DEFAULT_STORE_LANES = 2;

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
  /** Batches in flight at once on PostgreSQL (the embedded database takes one at a time). */
  lanes?: number;
}

interface ReadBatch {
  products: ProductInput[];
  /** External ids recognized as stored unchanged by their source; undefined when not looked up yet. */
  unchanged: string[] | undefined;
  /** The batch holds feed records `after` < record <= `through` (1-based, valid records only). */
  after: number;
  through: number;
}

/**
 * Batches of the valid records not stored yet (`stored` says which an earlier attempt committed). A batch
 * never spans stored records, so its range stays disjoint from the ranges already in the checkpoint.
 * With `recognized`, the entries' unchanged ids are final; without, the store looks the products up.
 */
async function* batchesOf(chunks: AsyncGenerator<StoreEntry[]>, size: number, stored: (record: number) => boolean, recognized: boolean): AsyncGenerator<ReadBatch> {
  let index = 0;
  let after = 0;
  let products: ProductInput[] = [];
  let unchanged: string[] = [];
  const take = (through: number): ReadBatch => {
    const batch = { products, unchanged: recognized ? unchanged : undefined, after, through };
    [products, unchanged] = [[], []];
    return batch;
  };
  for await (const entries of chunks) {
    for (const entry of entries) {
      index++;
      const pending = products.length + unchanged.length;
      if (stored(index)) {
        if (pending > 0) yield take(index - 1);
        continue;
      }
      if (pending === 0) after = index - 1;
      if (typeof entry === 'string') unchanged.push(entry);
      else products.push(entry);
      if (pending + 1 >= size) yield take(index);
    }
  }
  if (products.length + unchanged.length > 0) yield take(index);
}

/** The batch without the products stored unchanged (their ids are passed on), laid out as columns. */
function prepare(products: ProductInput[], unchangedPositions: number[]): { products: PreparedProductBatch; unchanged: string[] } {
  if (unchangedPositions.length === 0) return { products: prepareProductBatch(products), unchanged: [] };
  const skip = new Set(unchangedPositions);
  const unchanged = unchangedPositions.map((position) => products[position]!.externalId);
  return { products: prepareProductBatch(products.filter((_, position) => !skip.has(position))), unchanged };
}

/**
 * Reads the staged feed through its format parser and the supplier's
 * transformer and stores the valid records in batches, in one pass: the next
 * batch is parsed while PostgreSQL writes the current ones. Each batch is one
 * statement that also writes the run's checkpoint, so a retried attempt
 * (on this worker or, for the same feed hash, on another) parses again, skips
 * what was committed and keeps the counts exact. A dry run compares content
 * hashes and writes nothing.
 */
export async function parseAndStoreActivity(deps: ParseAndStoreDeps, input: ParseAndStoreInput): Promise<ParseAndStoreOutcome> {
  const feed = await openFeedRecords(deps, input);
  try {
    return await storeFeed(deps, input, feed);
  } finally {
    // The ids seen are in files beside the staged feed: removed now, not when the run's directory goes.
    feed.release();
  }
}

async function storeFeed(deps: ParseAndStoreDeps, input: ParseAndStoreInput, feed: FeedReader): Promise<ParseAndStoreOutcome> {
  const catalog = await deps.open();
  const size = deps.batchSize ?? DEFAULT_STORE_BATCH_SIZE;
  const { tenantId, supplierId, harvestRunId } = input;
  const signal = Context.current().cancellationSignal;
  const parsed = () => ({ valid: feed.tally.valid, invalid: feed.tally.invalid, duplicates: feed.tally.duplicates });

  if (input.dryRun) {
    const totals = { created: 0, updated: 0, unchanged: 0, seenActive: 0 };
    for await (const batch of readingAhead(batchesOf(readEntries(feed.records()), size, () => false, false))) {
      signal.throwIfAborted();
      const preview = await previewProductBatch(catalog, { tenantId, supplierId, products: batch.products });
      totals.created += preview.created;
      totals.updated += preview.updated;
      totals.unchanged += preview.unchanged;
      totals.seenActive += preview.seenActive;
      heartbeat({ phase: 'storing', records: feed.tally.records, stored: batch.through, dryRun: true });
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
  const prefix = saved?.recordsStored ?? 0;
  const ahead = saved?.ahead ?? [];
  // Asked for every record of the feed: without ranges waiting beyond the prefix, one comparison.
  const stored =
    ahead.length === 0
      ? (record: number): boolean => record <= prefix
      : (record: number): boolean => record <= prefix || ahead.some((range) => record > range.after && record <= range.through);
  // Totals of everything stored so far, this attempt's batches added as they complete.
  const totals = { created: saved?.created ?? 0, updated: saved?.updated ?? 0, unchanged: saved?.unchanged ?? 0 };
  for (const range of ahead) {
    totals.created += range.created;
    totals.updated += range.updated;
    totals.unchanged += range.unchanged;
  }
  // A first import (nothing stored for the supplier yet) inserts without looking each product up; if
  // another run writes the same supplier meanwhile, a batch fails on the unique key and the retry looks up.
  const supplierWasEmpty = prefix === 0 && ahead.length === 0 && (await countProducts(catalog, { tenantId, supplierId })) === 0;
  const findUnchanged = supplierWasEmpty ? undefined : (products: ProductInput[]) => findUnchangedProducts(catalog, { tenantId, supplierId, products });
  // Without a transformer, a row whose fingerprint is stored unchanged is not read in full.
  const findSources = (externalIds: string[], sourceHashes: string[]) => findUnchangedSources(catalog, { tenantId, supplierId, externalIds, sourceHashes });
  const entries = !feed.sourced ? readEntries(feed.records()) : supplierWasEmpty ? readAllRows(feed.sourced) : recognizedRows(feed.sourced, findSources);
  // Each batch is looked up (on a re-harvest), laid out and written by one statement, two at once on
  // PostgreSQL while the next one is parsed. The statement adds the batch's range of records to the
  // checkpoint with its rows, so the checkpoint is exact whichever of two batches commits first.
  const store = async (batch: ReadBatch) => {
    signal.throwIfAborted();
    const { products, unchanged } =
      batch.unchanged !== undefined
        ? { products: prepareProductBatch(batch.products), unchanged: batch.unchanged }
        : prepare(batch.products, findUnchanged ? await findUnchanged(batch.products) : []);
    const range = { after: batch.after, through: batch.through, checkpoint: { feedSha256: input.feedSha256 } };
    return upsertProductBatch(catalog, { tenantId, supplierId, harvestRunId, products, unchanged, supplierWasEmpty, range });
  };
  const lanes = deps.lanes ?? (catalog.kind === 'postgres' ? DEFAULT_STORE_LANES : 1);
  await inOrderedLanes(readingAhead(batchesOf(entries, size, stored, feed.sourced !== undefined)), lanes, store, (result, batch) => {
    totals.created += result.created;
    totals.updated += result.updated;
    totals.unchanged += result.unchanged;
    heartbeat({ phase: 'storing', records: feed.tally.records, stored: batch.through, ...totals });
  });
  await deps.catalog.recordRowErrors(tenantId, harvestRunId, feed.tally.errors, { invalid: feed.tally.invalid });
  return { ...parsed(), ...totals, errors: 0 };
}

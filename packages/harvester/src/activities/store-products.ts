import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Context, heartbeat } from '@temporalio/activity';
import {
  countProducts,
  getHarvestRun,
  previewProductBatch,
  productContentHash,
  upsertProductBatch,
  type Catalog,
  type ProductInput,
  type StoreProgress,
} from '@contextworker/catalog';
import type { FeedRecord } from '../formats/feed-record.js';
import type { HarvestRunRef, StoreOutcome } from '../workflow/harvest-types.js';
import { permanentFailure } from './failures.js';
import { readingAhead } from './reading-ahead.js';

export const DEFAULT_STORE_BATCH_SIZE = 2_000;

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

async function* batchesOf(path: string, size: number, skip: number): AsyncGenerator<{ products: ProductInput[]; end: number }> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let index = 0;
  let products: ProductInput[] = [];
  for await (const line of lines) {
    if (line === '') continue;
    index++;
    if (index <= skip) continue;
    products.push(toProductInput(JSON.parse(line) as FeedRecord));
    if (products.length >= size) {
      yield { products, end: index };
      products = [];
    }
  }
  if (products.length > 0) yield { products, end: index };
}

/**
 * Stores the normalized records in batches, one statement each. The run's
 * checkpoint is written by the same statement as the rows, so a retried
 * attempt resumes after the last committed batch and the counts stay exact.
 * A dry run compares content hashes and writes nothing.
 */
export async function storeProductsActivity(
  deps: { open: () => Promise<Catalog>; batchSize?: number },
  input: HarvestRunRef & { normalizedPath: string; dryRun: boolean; feedSha256: string },
): Promise<StoreOutcome> {
  if (!existsSync(input.normalizedPath)) throw permanentFailure('StagedFileMissing', new Error(`Normalized records ${input.normalizedPath} are gone`));
  const catalog = await deps.open();
  const size = deps.batchSize ?? DEFAULT_STORE_BATCH_SIZE;
  const { tenantId, supplierId, harvestRunId } = input;
  const signal = Context.current().cancellationSignal;

  if (input.dryRun) {
    const totals = { created: 0, updated: 0, unchanged: 0, seenActive: 0, records: 0 };
    for await (const batch of batchesOf(input.normalizedPath, size, 0)) {
      signal.throwIfAborted();
      const preview = await previewProductBatch(catalog, { tenantId, supplierId, products: batch.products });
      totals.created += preview.created;
      totals.updated += preview.updated;
      totals.unchanged += preview.unchanged;
      totals.seenActive += preview.seenActive;
      totals.records = batch.end;
      heartbeat({ phase: 'storing', records: totals.records, dryRun: true });
    }
    const active = await countProducts(catalog, { tenantId, supplierId, missing: false });
    return { created: totals.created, updated: totals.updated, unchanged: totals.unchanged, errors: 0, wouldBeMissing: active - totals.seenActive };
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
  for await (const batch of readingAhead(batchesOf(input.normalizedPath, size, progress.recordsStored))) {
    signal.throwIfAborted();
    // The statement stores these totals plus this batch's counts together with the rows.
    const before = { ...progress, recordsStored: batch.end, batches: progress.batches + 1, feedSha256: input.feedSha256 };
    const result = await upsertProductBatch(catalog, { tenantId, supplierId, harvestRunId, products: batch.products, progress: before });
    Object.assign(progress, before, {
      created: before.created + result.created,
      updated: before.updated + result.updated,
      unchanged: before.unchanged + result.unchanged,
    });
    heartbeat({ phase: 'storing', records: progress.recordsStored, created: progress.created, updated: progress.updated, unchanged: progress.unchanged });
  }
  return { created: progress.created, updated: progress.updated, unchanged: progress.unchanged, errors: 0 };
}

import { productContentHash, type ProductInput } from '@contextworker/catalog';
import type { FeedRecord, FeedRow } from '../formats/feed-record.js';
import type { FeedReader } from './feed-records.js';

/** What a batch stores: a product read in full, or the external id of one recognized as stored unchanged. */
export type StoreEntry = ProductInput | string;

/** Which of these (external id, source hash) pairs are stored unchanged: their indexes. */
export type FindUnchangedSources = (externalIds: string[], sourceHashes: string[]) => Promise<number[]>;

/** Groups of rows read ahead of the one being finished, their look-ups in flight meanwhile. */
const LOOKUPS_AHEAD = 2;

/**
 * Rows looked up together, at least: parsed chunks are joined up to this. A chunk of text holds about a
 * thousand CSV rows but a few hundred YML offers, and each look-up costs the database a statement.
 */
const LOOKUP_ROWS = 1_000;

/**
 * The record as the product to store: the parser made it for this pass alone, so it takes its hashes
 * in place instead of being copied (a re-harvest hashes a million records to send a few thousand).
 */
export function asProductInput(record: FeedRecord, sourceHash?: string): ProductInput {
  const product = record as FeedRecord & { contentHash: string; sourceHash?: string };
  product.contentHash = productContentHash(record);
  if (sourceHash !== undefined) product.sourceHash = sourceHash;
  return product;
}

/** The valid records of a feed read in full, as entries. */
export async function* readEntries(records: AsyncGenerator<FeedRecord[]>): AsyncGenerator<StoreEntry[]> {
  for await (const batch of records) yield batch.map((record) => asProductInput(record));
}

interface Group {
  rows: FeedRow[];
  unchanged: Promise<Set<number>>;
}

/** Every row of a first import read in full, its fingerprint kept with the product for the next run. */
export async function* readAllRows(sourced: NonNullable<FeedReader['sourced']>): AsyncGenerator<StoreEntry[]> {
  // Each chunk's rows are read at once, so that they are garbage while still young.
  for await (const rows of sourced.rows()) {
    const entries: StoreEntry[] = [];
    for (const row of rows) {
      const record = sourced.admit(row);
      if (record) entries.push(asProductInput(record, row.fingerprint));
    }
    if (entries.length > 0) yield entries;
  }
}

/**
 * The feed's entries in feed order, each row recognized by its fingerprint where it can be: the rows of
 * a group of parsed chunks are looked up together (`find`) and only those not stored unchanged are read
 * in full. The next chunks are split and fingerprinted while the database looks up the ones before.
 */
export async function* recognizedRows(sourced: NonNullable<FeedReader['sourced']>, find: FindUnchangedSources): AsyncGenerator<StoreEntry[]> {
  const start = (rows: FeedRow[]): Group => {
    const ids: string[] = [];
    const known: string[] = [];
    const at: number[] = [];
    rows.forEach((row, i) => {
      if (row.externalId === undefined || row.fingerprint === undefined) return;
      ids.push(row.externalId);
      known.push(row.fingerprint);
      at.push(i);
    });
    const unchanged = ids.length === 0 ? Promise.resolve(new Set<number>()) : find(ids, known).then((found) => new Set(found.map((i) => at[i]!)));
    unchanged.catch(() => {}); // awaited in finish; this keeps a failure while a later group is read from going unhandled
    return { rows, unchanged };
  };

  const finish = async (group: Group): Promise<StoreEntry[]> => {
    const unchanged = await group.unchanged;
    const entries: StoreEntry[] = [];
    group.rows.forEach((row, i) => {
      if (unchanged.has(i)) {
        if (sourced.admitUnchanged(row as FeedRow & { externalId: string })) entries.push(row.externalId!);
        return;
      }
      const record = sourced.admit(row);
      if (record) entries.push(asProductInput(record, row.fingerprint));
    });
    return entries;
  };

  // Each group's rows wait for their look-up while the next groups are read: short enough that most
  // of them are garbage before they are old (rows held for 5,000 records doubled the collector's work).
  const pending: Group[] = [];
  let gathered: FeedRow[] = [];
  for await (const rows of sourced.rows()) {
    for (const row of rows) gathered.push(row);
    if (gathered.length < LOOKUP_ROWS) continue;
    pending.push(start(gathered));
    gathered = [];
    if (pending.length > LOOKUPS_AHEAD) yield await finish(pending.shift()!);
  }
  if (gathered.length > 0) pending.push(start(gathered));
  for (const group of pending) yield await finish(group);
}

import { createReadStream, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { FeedParseError } from '../formats/errors.js';
import { parseFeedRowBatches, type ParseFeedOptions } from '../formats/index.js';
import {
  MAPPABLE_FIELDS,
  type FeedPosition,
  type FeedRecord,
  type FeedRow,
  type FieldMapping,
  type ParsedItem,
} from '../formats/feed-record.js';
import { applyTransformer, type Transformer } from '../transformers/transformer.js';
import { UnknownTransformerError, type TransformerRegistry } from '../transformers/transformer-registry.js';
import type { HarvestRunRef } from '../workflow/harvest-types.js';
import type { CatalogAccess, SupplierRow } from './catalog-access.js';
import { permanentFailure } from './failures.js';
import { SeenIds } from './seen-ids.js';

/** How many row-level errors a harvest run keeps for the supplier to read. */
export const KEPT_ROW_ERRORS = 100;

export interface RowError {
  record: number;
  line?: number;
  path?: string;
  externalId?: string;
  reason: string;
}

function parserOptions(supplier: SupplierRow, encodingHint: string | undefined): ParseFeedOptions {
  const { options } = supplier;
  const xmlBased = supplier.format === 'xml' || supplier.format === 'yml' || supplier.format === 'google-merchant';
  // The supplier's setting wins; a Content-Type charset only where no XML prolog can declare one.
  const encoding = options.encoding ?? (xmlBased ? undefined : encodingHint);
  const common = { ...(encoding ? { encoding } : {}) };
  const fields = checkFieldMapping(supplier.id, options.fields);
  switch (supplier.format) {
    case 'csv':
      return { format: 'csv', ...common, ...(options.delimiter ? { delimiter: options.delimiter } : {}), ...(fields ? { fields } : {}) };
    case 'json':
      return { format: 'json', ...common, ...(options.arrayPath ? { arrayPath: options.arrayPath } : {}), ...(fields ? { fields } : {}) };
    case 'jsonl':
      return { format: 'jsonl', ...common, ...(fields ? { fields } : {}) };
    case 'xml':
      if (!options.recordPath) throw permanentFailure('FeedParseError', new Error(`Supplier ${supplier.id} has format xml but no options.recordPath`));
      return { format: 'xml', ...common, recordPath: options.recordPath, ...(fields ? { fields } : {}) };
    case 'yml':
      return { format: 'yml', ...common };
    case 'google-merchant':
      return { format: 'google-merchant', ...common };
  }
}

// The supplier row is written by other codebases too: check its mapping before trusting it.
function checkFieldMapping(supplierId: string, fields: Record<string, string> | undefined): FieldMapping | undefined {
  if (!fields) return undefined;
  const unknown = Object.keys(fields).filter((key) => !(MAPPABLE_FIELDS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw permanentFailure(
      'FeedParseError',
      new Error(`Supplier ${supplierId} maps unknown field(s) ${unknown.join(', ')} in options.fields; known fields: ${MAPPABLE_FIELDS.join(', ')}`),
    );
  }
  return fields as FieldMapping;
}

function toRowError(position: FeedPosition, reason: string, externalId?: string): RowError {
  return {
    record: position.record,
    ...(position.line !== undefined ? { line: position.line } : {}),
    ...(position.path ? { path: position.path } : {}),
    ...(externalId ? { externalId } : {}),
    reason,
  };
}

/** What reading a feed has counted so far; the first row errors are kept for the supplier. */
export interface FeedTally {
  records: number;
  valid: number;
  invalid: number;
  duplicates: number;
  errors: RowError[];
}

/** A staged feed opened for reading, and what reading it has counted. */
export interface FeedReader {
  tally: FeedTally;
  /**
   * The feed's valid records in feed order, a parsed chunk at a time, through the format parser and the
   * supplier's transformer.
   */
  records(): AsyncGenerator<FeedRecord[]>;
  /** Forgets the ids seen and removes their files; for when every row has been read and counted, or reading failed. */
  release(): void;
  /**
   * Without a transformer, a record's result follows from its row alone: `rows()` gives them unread,
   * `admit` and `admitUnchanged` count them. With one (its code can change while the feed does not),
   * undefined.
   */
  sourced?: {
    rows(): AsyncGenerator<FeedRow[]>;
    /** Reads the row and counts it; returns its record, or undefined when it is invalid or its id repeats an earlier one. */
    admit(row: FeedRow): FeedRecord | undefined;
    /** Counts a row recognized as stored unchanged; false when its id repeats an earlier record's. */
    admitUnchanged(row: FeedRow & { externalId: string }): boolean;
  };
}

/**
 * Opens a staged feed for reading: its supplier's parser options and
 * transformer are checked first, so a misconfigured supplier fails before any
 * product is read. Invalid rows and repeated external ids are counted in the
 * tally, the first ones kept with their position and reason; the first
 * occurrence of an id wins.
 */
export async function openFeedRecords(
  deps: { catalog: CatalogAccess; transformers: TransformerRegistry },
  input: HarvestRunRef & { stagedPath: string; encodingHint?: string },
): Promise<FeedReader> {
  if (!existsSync(input.stagedPath)) throw permanentFailure('StagedFileMissing', new Error(`Staged feed ${input.stagedPath} is gone`));
  const supplier = await deps.catalog.getSupplier(input.tenantId, input.supplierId);
  let transformer: Transformer | undefined;
  try {
    transformer = supplier.transformer ? deps.transformers.get(supplier.transformer) : undefined;
  } catch (error) {
    if (error instanceof UnknownTransformerError) throw permanentFailure('UnknownTransformer', error);
    throw error;
  }
  const options = parserOptions(supplier, input.encodingHint);
  const tally: FeedTally = { records: 0, valid: 0, invalid: 0, duplicates: 0, errors: [] };
  const reject = (error: RowError) => {
    tally.invalid++;
    if (tally.errors.length < KEPT_ROW_ERRORS) tally.errors.push(error);
  };
  // Emptied per pass, so that each pass over the feed counts its repeats afresh. Its files go with the staged feed.
  const seen = new SeenIds({ dir: dirname(input.stagedPath) });
  const firstOccurrence = (externalId: string, position: FeedPosition): boolean => {
    const first = seen.firstSeen(externalId, position.record);
    if (first === undefined) {
      tally.valid++;
      return true;
    }
    tally.duplicates++;
    reject(toRowError(position, `duplicate external id "${externalId}" (first at record ${first})`, externalId));
    return false;
  };

  // A feed that cannot be parsed fails for good, whether found while splitting rows or reading one.
  const parseFailure = (error: unknown): unknown => (error instanceof FeedParseError ? permanentFailure('FeedParseError', error) : error);

  async function* rows(): AsyncGenerator<FeedRow[]> {
    seen.clear();
    try {
      yield* parseFeedRowBatches(createReadStream(input.stagedPath), options);
    } catch (error) {
      throw parseFailure(error);
    }
  }

  // A YML offer is parsed only when read, so a malformed one fails here.
  const read = (row: FeedRow): ParsedItem => {
    try {
      return row.read();
    } catch (error) {
      throw parseFailure(error);
    }
  };

  // Counts a read item; its record when the item is valid.
  const validRecord = (item: ParsedItem): FeedRecord | undefined => {
    tally.records++;
    if (item.ok) return item.record;
    reject(toRowError(item.position, item.reason, item.externalId));
    return undefined;
  };
  const admit = (row: FeedRow): FeedRecord | undefined => {
    const item = read(row);
    const record = validRecord(item);
    return record && firstOccurrence(record.externalId, item.position) ? record : undefined;
  };

  async function* records(): AsyncGenerator<FeedRecord[]> {
    for await (const batch of rows()) {
      const valid: FeedRecord[] = [];
      for (const row of batch) {
        if (!transformer) {
          const record = admit(row);
          if (record) valid.push(record);
          continue;
        }
        const item = read(row);
        const record = validRecord(item);
        if (!record) continue;
        const outcome = await applyTransformer(transformer, record, {
          tenantId: input.tenantId,
          supplierId: input.supplierId,
          position: item.position,
          options: supplier.options.transformerOptions ?? {},
        });
        if (!outcome.ok) {
          reject(toRowError(item.position, outcome.reason, record.externalId));
          continue;
        }
        if (firstOccurrence(outcome.record.externalId, item.position)) valid.push(outcome.record);
      }
      if (valid.length > 0) yield valid;
    }
  }

  const release = () => seen.clear();
  if (transformer) return { tally, records, release };
  const admitUnchanged = (row: FeedRow & { externalId: string }): boolean => {
    tally.records++;
    return firstOccurrence(row.externalId, row.position);
  };
  return { tally, records, release, sourced: { rows, admit, admitUnchanged } };
}

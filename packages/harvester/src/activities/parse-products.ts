import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { activityInfo, heartbeat } from '@temporalio/activity';
import { FeedParseError } from '../formats/errors.js';
import { parseFeed, type ParseFeedOptions } from '../formats/index.js';
import { MAPPABLE_FIELDS, type FeedPosition, type FeedRecord, type FieldMapping } from '../formats/feed-record.js';
import { applyTransformer } from '../transformers/transformer.js';
import { UnknownTransformerError, type TransformerRegistry } from '../transformers/transformer-registry.js';
import type { HarvestRunRef, ParseOutcome } from '../workflow/harvest-types.js';
import type { CatalogAccess, SupplierRow } from './catalog-access.js';
import { permanentFailure } from './failures.js';
import { SeenIds } from './seen-ids.js';
import { normalizedPathFor } from './staging.js';

/** How many row-level errors a harvest run keeps for the supplier to read. */
export const KEPT_ROW_ERRORS = 100;
const HEARTBEAT_EVERY = 5_000;

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

/**
 * Streams the staged feed through its format parser and the supplier's
 * transformer into a file of normalized records (one JSON per line) beside it.
 * Invalid rows and duplicate ids are counted and the first ones kept with
 * their position and reason.
 */
export async function parseProductsActivity(
  deps: { catalog: CatalogAccess; transformers: TransformerRegistry },
  input: HarvestRunRef & { stagedPath: string; encodingHint?: string },
): Promise<ParseOutcome> {
  if (!existsSync(input.stagedPath)) throw permanentFailure('StagedFileMissing', new Error(`Staged feed ${input.stagedPath} is gone`));
  const supplier = await deps.catalog.getSupplier(input.tenantId, input.supplierId);
  let transformer;
  try {
    transformer = supplier.transformer ? deps.transformers.get(supplier.transformer) : undefined;
  } catch (error) {
    if (error instanceof UnknownTransformerError) throw permanentFailure('UnknownTransformer', error);
    throw error;
  }
  const normalizedPath = normalizedPathFor(input.harvestRunId);
  const out = createWriteStream(normalizedPath);
  // Without a listener, an error the stream reports late (a write still in flight when a parse
  // error destroys it, a full disk) would be unhandled and crash the whole worker process.
  let writeError: Error | undefined;
  out.on('error', (error) => {
    writeError ??= error;
  });
  const writeLine = async (line: string): Promise<void> => {
    if (writeError) throw writeError;
    if (!out.write(line)) await once(out, 'drain');
  };
  const seen = new SeenIds();
  const errors: RowError[] = [];
  let valid = 0;
  let invalid = 0;
  let duplicates = 0;
  let records = 0;
  const reject = (error: RowError) => {
    invalid++;
    if (errors.length < KEPT_ROW_ERRORS) errors.push(error);
  };

  try {
    for await (const item of parseFeed(createReadStream(input.stagedPath), parserOptions(supplier, input.encodingHint))) {
      records++;
      if (records % HEARTBEAT_EVERY === 0) heartbeat({ phase: 'parsing', records, valid, invalid });
      if (!item.ok) {
        reject(toRowError(item.position, item.reason, item.externalId));
        continue;
      }
      let record: FeedRecord = item.record;
      if (transformer) {
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
        record = outcome.record;
      }
      // First occurrence wins; a repeated id is reported where it repeats.
      const first = seen.firstSeen(record.externalId, item.position.record);
      if (first !== undefined) {
        duplicates++;
        reject(toRowError(item.position, `duplicate external id "${record.externalId}" (first at record ${first})`, record.externalId));
        continue;
      }
      valid++;
      await writeLine(JSON.stringify(record) + '\n');
    }
  } catch (error) {
    out.destroy();
    if (error instanceof FeedParseError) throw permanentFailure('FeedParseError', error);
    throw error;
  }
  if (writeError) throw writeError;
  out.end();
  await once(out, 'finish');
  await deps.catalog.recordRowErrors(input.tenantId, input.harvestRunId, errors, { invalid });
  heartbeat({ phase: 'parsing', records, valid, invalid, done: true, attempt: activityInfo().attempt });
  return { normalizedPath, valid, invalid, duplicates };
}

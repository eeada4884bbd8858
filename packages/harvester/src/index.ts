/**
 * Supplier feed harvesting for ContextWorker: HarvestWorkflow's activities and
 * worker module, the streaming feed parsers, supplier transformers and the
 * SSRF-safe feed download.
 *
 * @example
 * ```ts
 * import { defineTransformer, registerTransformer } from '@contextworker/harvester';
 *
 * // A supplier whose feed puts the brand in front of every name.
 * registerTransformer(
 *   defineTransformer({
 *     id: 'camping-trade',
 *     transform: (record) => ({ ...record, name: record.name.replace(/^\S+\s+/, ''), vendor: record.name.split(' ')[0] }),
 *   }),
 * );
 * ```
 *
 * @module
 */
export { createHarvesterModule, harvesterModule, DEFAULT_HARVEST_CRON, type HarvesterModuleOptions } from './module.js';
export { createHostHarvestActivities, createSharedHarvestActivities, type HarvestActivityOptions } from './activities/index.js';
export { HARVEST_FAILURE_TYPES, type HarvestFailureType } from './activities/failures.js';
export { KEPT_ROW_ERRORS } from './activities/feed-records.js';
export { DEFAULT_STORE_BATCH_SIZE } from './activities/parse-and-store.js';
export { defineTransformer, applyTransformer, type Transformer, type TransformContext, type TransformOutcome } from './transformers/transformer.js';
export {
  TransformerRegistry,
  registerTransformer,
  transformers,
  UnknownTransformerError,
  DuplicateTransformerError,
} from './transformers/transformer-registry.js';
export type * from './workflow/harvest-types.js';
export {
  FEED_FORMATS,
  FeedParseError,
  isFeedFormat,
  parseFeed,
  parseFeedBatches,
  parseFeedRowBatches,
  PARSER_VERSION,
  validateRecord,
  type FeedFormat,
  type FeedInput,
  type FeedPosition,
  type FeedRecord,
  type FeedRow,
  type FieldMapping,
  type ParseFeedOptions,
  type ParsedItem,
} from './formats/index.js';
export {
  downloadFeedFile,
  maskUrl,
  checkAddress,
  FeedBlockedAddressError,
  FeedCorruptError,
  FeedDownloadError,
  FeedHttpError,
  FeedNetworkError,
  FeedNotAFeedError,
  FeedTimeoutError,
  FeedTooLargeError,
  FeedUrlError,
  type DownloadFeedFileOptions,
  type DownloadResult,
} from './download/index.js';

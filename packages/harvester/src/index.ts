/**
 * Supplier feed harvesting for ContextWorker: the feed formats and the
 * harvester's worker module.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { parseFeed } from '@contextworker/harvester';
 *
 * for await (const item of parseFeed(createReadStream('feed.xml'), { format: 'yml' })) {
 *   if (item.ok) console.log(item.record.externalId, item.record.price);
 *   else console.warn(`record ${item.position.record}: ${item.reason}`);
 * }
 * ```
 *
 * @module
 */
export { harvesterModule } from './module.js';
export type { HarvestInput, HarvestResult } from './workflows.js';
export {
  FEED_FORMATS,
  FeedParseError,
  isFeedFormat,
  parseFeed,
  validateRecord,
  type FeedFormat,
  type FeedInput,
  type FeedPosition,
  type FeedRecord,
  type FieldMapping,
  type ParseFeedOptions,
  type ParsedItem,
} from './formats/index.js';

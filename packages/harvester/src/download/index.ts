export { downloadFeedFile } from './download-feed-file.js';
export type { DownloadFeedFileOptions, DownloadResult } from './download-feed-file.js';
export type { FeedCompression } from './decode-feed-body.js';
export { checkAddress, createPinnedLookup, vetHost } from './address-guard.js';
export type { AddressCheck, AllowedNetwork, BlockedCategory, VetHostOptions } from './address-guard.js';
export {
  FeedBlockedAddressError,
  FeedCorruptError,
  FeedDownloadError,
  FeedHttpError,
  FeedNetworkError,
  FeedNotAFeedError,
  FeedTimeoutError,
  FeedTooLargeError,
  FeedUrlError,
} from './errors.js';
export { maskUrl } from './mask-url.js';

import { rm } from 'node:fs/promises';
import { Context, heartbeat } from '@temporalio/activity';
import type { HarvestSettings } from '@contextworker/core-temporal';
import {
  FeedBlockedAddressError,
  FeedDownloadError,
  FeedHttpError,
  FeedNotAFeedError,
  FeedTooLargeError,
  FeedUrlError,
  downloadFeedFile,
} from '../download/index.js';
import type { DownloadOutcome, HarvestRunRef } from '../workflow/harvest-types.js';
import type { CatalogAccess } from './catalog-access.js';
import { permanentFailure, type HarvestFailureType } from './failures.js';
import { ensureStagingDir } from './staging.js';

export type DownloadFeedOutcome = DownloadOutcome & { etag?: string; lastModified?: string; contentType?: string };

function failureType(error: FeedDownloadError): HarvestFailureType {
  if (error instanceof FeedBlockedAddressError) return 'FeedBlockedAddress';
  if (error instanceof FeedTooLargeError) return 'FeedTooLarge';
  if (error instanceof FeedNotAFeedError) return 'FeedNotAFeed';
  if (error instanceof FeedUrlError) return 'FeedUrlInvalid';
  if (error instanceof FeedHttpError) return 'FeedHttpClientError';
  return 'FeedHttpClientError';
}

// Secrets are referenced by environment variable name in the supplier row; the value never leaves this process.
function authHeaders(authHeader: { name: string; env: string } | undefined): Record<string, string> {
  if (!authHeader) return {};
  const value = process.env[authHeader.env];
  if (value === undefined) throw permanentFailure('FeedHttpClientError', new Error(`The supplier's auth header needs environment variable ${authHeader.env}, which is not set`));
  return { [authHeader.name]: value };
}

/**
 * Downloads the supplier's feed to this worker's staging directory: conditional
 * GET with the last ETag / Last-Modified, SSRF checks, size limit, timeouts.
 * A 304 or a body whose SHA-256 matches the last successful run is `unchanged`.
 */
export async function downloadFeedActivity(
  deps: { catalog: CatalogAccess; harvest: HarvestSettings },
  input: HarvestRunRef & { force: boolean },
): Promise<DownloadFeedOutcome> {
  const supplier = await deps.catalog.getSupplier(input.tenantId, input.supplierId);
  const destDir = await ensureStagingDir(input.harvestRunId);
  let lastBeat = 0;
  try {
    const result = await downloadFeedFile({
      url: supplier.feedUrl,
      destDir,
      headers: authHeaders(supplier.options.authHeader),
      ...(!input.force && supplier.lastEtag ? { etag: supplier.lastEtag } : {}),
      ...(!input.force && supplier.lastModified ? { lastModified: supplier.lastModified } : {}),
      maxBytes: deps.harvest.maxFeedBytes,
      allowNetworks: deps.harvest.allowNetworks,
      signal: Context.current().cancellationSignal,
      onProgress: (bytes) => {
        if (bytes - lastBeat >= 8 * 1024 * 1024) {
          lastBeat = bytes;
          heartbeat({ phase: 'downloading', bytes });
        }
      },
    });
    if (result.status === 'not-modified') return { status: 'unchanged', reason: 'not-modified' };
    if (!input.force && supplier.lastContentHash === result.sha256) {
      await rm(result.path, { force: true });
      return { status: 'unchanged', reason: 'same-hash', sha256: result.sha256 };
    }
    return {
      status: 'downloaded',
      stagedPath: result.path,
      sha256: result.sha256,
      bytes: result.bytes,
      ...(result.etag ? { etag: result.etag } : {}),
      ...(result.lastModified ? { lastModified: result.lastModified } : {}),
      ...(result.contentType ? { contentType: result.contentType } : {}),
    };
  } catch (error) {
    if (error instanceof FeedDownloadError && !error.retryable) throw permanentFailure(failureType(error), error);
    throw error;
  }
}

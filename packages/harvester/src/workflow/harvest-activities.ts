// The activity signatures HarvestWorkflow calls. Types only: the workflow
// bundle must not pull in the Node-side implementations.
import type {
  DownloadOutcome,
  HarvestRunRef,
  MissingOutcome,
  ParseAndStoreOutcome,
  StoreCounts,
} from './harvest-types.js';

/** Activities on the shared task queue (any worker). */
export interface SharedHarvestActivities {
  startHarvestRun(input: { tenantId?: string; supplierId: string; dryRun: boolean; workflowId: string }): Promise<HarvestRunRef>;
  markMissingProducts(input: HarvestRunRef & { force: boolean }): Promise<MissingOutcome>;
  finishHarvestRun(
    input: HarvestRunRef & {
      status: 'completed' | 'unchanged' | 'failed' | 'dry_run';
      counts?: StoreCounts & { invalid: number; duplicates: number; markedMissing: number };
      feed?: { sha256: string; etag?: string; lastModified?: string };
      error?: string;
    },
  ): Promise<void>;
  resolveHostTaskQueue(): Promise<string>;
}

/** Activities that read or write staged files: they run on the worker holding them. */
export interface HostHarvestActivities {
  downloadFeed(input: HarvestRunRef & { force: boolean }): Promise<DownloadOutcome & { etag?: string; lastModified?: string; contentType?: string }>;
  parseAndStoreProducts(
    input: HarvestRunRef & { stagedPath: string; encodingHint?: string; dryRun: boolean; feedSha256: string },
  ): Promise<ParseAndStoreOutcome>;
  discardStagedFiles(input: HarvestRunRef): Promise<void>;
}

// Payloads between HarvestWorkflow and its activities: small, versionable,
// references only (a staged file path and its hash, a harvest run id) — never
// feed bytes or product lists, which would break Temporal's payload limits.

/** Input of `HarvestWorkflow`: a supplier id (default tenant), or the full form. */
export type HarvestInput =
  | string
  | {
      tenantId?: string;
      supplierId: string;
      /** Harvest even if the feed is unchanged, and remove missing products despite the shrink guard. */
      force?: boolean;
      /** Report new / changed / unchanged / missing without writing products or starting enrichment. */
      dryRun?: boolean;
      /** Start EnrichmentWorkflow for created products (default true). */
      enrich?: boolean;
      /**
       * How long to wait for the worker holding the staged files before starting
       * over on another (`scheduleToStart`), and how long its activities may go
       * without a heartbeat. Default 1 minute each.
       */
      hostTimeouts?: { scheduleToStart?: string; heartbeat?: string };
    };

export interface HarvestRunRef {
  tenantId: string;
  supplierId: string;
  harvestRunId: string;
}

export type DownloadOutcome =
  | { status: 'unchanged'; reason: 'not-modified' | 'same-hash'; sha256?: string }
  | { status: 'downloaded'; stagedPath: string; sha256: string; bytes: number };

export interface ParseOutcome {
  valid: number;
  invalid: number;
  duplicates: number;
}

export interface StoreCounts {
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
}

export interface StoreOutcome extends StoreCounts {
  /** Dry runs only: products that would be marked missing. */
  wouldBeMissing?: number;
}

/** What reading and storing a staged feed in one pass counted. */
export type ParseAndStoreOutcome = ParseOutcome & StoreOutcome;

export interface MissingOutcome {
  marked: number;
  refused?: { wouldMark: number; active: number };
}

/** `storing` covers parsing too: the feed is parsed and stored in one pass. */
export type HarvestPhase = 'starting' | 'downloading' | 'storing' | 'marking-missing' | 'finishing' | 'done';

/** What a harvest run reports. */
export interface HarvestResult extends StoreCounts {
  status: 'completed' | 'unchanged' | 'dry-run';
  tenantId: string;
  supplierId: string;
  harvestRunId: string;
  invalid: number;
  duplicates: number;
  markedMissing: number;
  /** Set when the shrink guard refused to mark products missing. */
  removalRefused?: { wouldMark: number; active: number };
  /** Dry runs: products that would be marked missing. */
  wouldBeMissing?: number;
  enrichmentWorkflowId?: string;
}

/** The workflow's `harvestProgress` query: the phase; record counts come from activity heartbeats. */
export interface HarvestProgress {
  phase: HarvestPhase;
  harvestRunId?: string;
  hostAttempt: number;
}

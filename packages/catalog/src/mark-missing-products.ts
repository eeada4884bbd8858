import { DryRunWriteError, HarvestRunNotFoundError } from './errors.js';
import { isRunId } from './harvest-runs.js';
import type { Catalog } from './open-catalog.js';
import { requireTenant } from './supplier-input.js';

/** Share of a supplier's active products one run may quarantine unless forced. */
export const DEFAULT_MAX_SHRINK_RATIO = 0.5;

export interface MarkMissingProductsInput {
  tenantId: string;
  supplierId: string;
  /** A complete, successful run: every product it did not see is missing from the feed. */
  harvestRunId: string;
  /** Refuse when more than this share (0-1) of the active products would be marked. Default 0.5. */
  maxShrinkRatio?: number;
  /** Mark even beyond `maxShrinkRatio` (an operator confirmed the feed really shrank). */
  force?: boolean;
}

export interface MarkMissingProductsResult {
  /** Products quarantined now (`missing_since` set, `available` false). */
  marked: number;
  /** Active (not missing) products of the supplier before this call. */
  active: number;
  /** Set when the guard refused: nothing was marked. */
  refused?: { wouldMark: number; active: number; maxShrinkRatio: number };
}

// One statement: the counts and the update see the same snapshot, so the guard decides on what it marks.
// The run saw a product if it wrote it (last_seen_run_id) or found it unchanged (harvest_run_seen, one
// array of ids per batch). NOT IN over the unnested arrays is a hashed subplan: the run's handful of
// rows is estimated small, so the ids are hashed once and each product is one hash probe. (A join
// planned on such estimates could become a nested loop over both sides.) The update runs only when
// something is to be marked (an init plan, so the scan is skipped altogether otherwise).
const SEEN_IDS = `select unnest(s.external_ids) from harvest_run_seen s where s.tenant_id = $1 and s.harvest_run_id = $3::uuid`;
const NOT_SEEN = `d.last_seen_run_id is distinct from $3::uuid and d.external_id not in (${SEEN_IDS})`;
const MARK_SQL = `
with run as (
  select dry_run from harvest_runs where tenant_id = $1 and supplier_id = $2 and id = $3::uuid
),
stats as (
  select count(*)::int as active, count(*) filter (where ${NOT_SEEN})::int as would_mark
  from dealer_products d
  where d.tenant_id = $1 and d.supplier_id = $2 and d.missing_since is null
),
marked as (
  update dealer_products d set missing_since = now(), available = false, updated_at = now()
  where (select would_mark from stats) > 0
    and (select dry_run from run) = false
    and ($5::boolean or (select would_mark <= active * $4::float8 from stats))
    and d.tenant_id = $1 and d.supplier_id = $2 and d.missing_since is null
    and ${NOT_SEEN}
  returning 1
)
select (select dry_run from run) as dry_run, stats.active, stats.would_mark, (select count(*) from marked)::int as marked
from stats`;

interface MarkRow {
  dry_run: boolean | null;
  active: number;
  would_mark: number;
  marked: number;
}

/**
 * Quarantines the supplier's products that the run did not see: `missing_since = now()` and
 * `available = false` (a later run that sees them again clears both). When that would be more than
 * `maxShrinkRatio` of the active catalogue, nothing is marked and `refused` says why: a truncated
 * feed must not wipe a catalogue.
 *
 * @throws {HarvestRunNotFoundError} when the run is not this tenant's and supplier's.
 * @throws {DryRunWriteError} when the run is a dry run.
 */
export async function markMissingProducts(catalog: Catalog, input: MarkMissingProductsInput): Promise<MarkMissingProductsResult> {
  const { tenantId, supplierId, harvestRunId } = input;
  requireTenant(tenantId);
  const maxShrinkRatio = input.maxShrinkRatio ?? DEFAULT_MAX_SHRINK_RATIO;
  if (!(maxShrinkRatio >= 0 && maxShrinkRatio <= 1)) throw new RangeError(`maxShrinkRatio must be between 0 and 1, got ${maxShrinkRatio}`);
  if (!isRunId(harvestRunId)) throw new HarvestRunNotFoundError(tenantId, harvestRunId, supplierId);

  const [row] = await catalog.query<MarkRow>(MARK_SQL, [tenantId, supplierId, harvestRunId, maxShrinkRatio, input.force ?? false]);
  if (!row || row.dry_run === null) throw new HarvestRunNotFoundError(tenantId, harvestRunId, supplierId);
  if (row.dry_run) throw new DryRunWriteError(tenantId, harvestRunId);
  const result: MarkMissingProductsResult = { marked: row.marked, active: row.active };
  if (row.marked === 0 && row.would_mark > 0) result.refused = { wouldMark: row.would_mark, active: row.active, maxShrinkRatio };
  return result;
}

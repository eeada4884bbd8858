import type { Catalog } from '@contextworker/catalog';
import type { ClassificationOutcome, Classifier, ProductForClassification } from '../classifiers/classifier.js';
import { claimProductsForClassification } from '../store/claim-pending-products.js';
import type { EnrichRunBatchesInput, EnrichRunBatchesResult } from '../workflow/enrichment-types.js';
import { recordOutcomes } from './record-outcomes.js';

export interface RunBatchesDeps {
  catalog: () => Promise<Catalog>;
  classifier: () => Classifier;
  defaultTenantId: string;
  taxonomyVersion: string;
}

/** No new batch is claimed after this long, so that a call stays short even with a slow classifier. */
const CLAIMING_WINDOW_MS = 30_000;

/*
 * Batches of one harvest run, one after the other, as a pipeline: while the classifier answers batch
 * N, batch N+1 is claimed (with its content, in one statement) and batch N-1 is recorded, so a lane
 * takes about the classifier's time per batch. Nothing is retried here. A batch whose classifier call
 * fails goes back to the workflow still claimed, with the batch claimed after it, and the workflow
 * classifies them with `classifyProducts` (its retries, then bisection); so does a batch whose record
 * failed. A claim that fails ends the call with what is done; when nothing is done, the call fails and
 * its local activity is retried.
 */
export async function enrichRunBatches(deps: RunBatchesDeps, input: EnrichRunBatchesInput): Promise<EnrichRunBatchesResult> {
  const catalog = await deps.catalog();
  const classifier = deps.classifier();
  const tenantId = input.tenantId ?? deps.defaultTenantId;
  const result: EnrichRunBatchesResult = { tenantId, processed: 0, failed: 0, batches: 0, exhausted: false, handedBack: [] };
  const batch = { tenantId, claimant: input.claimant, classifier: classifier.name, taxonomyVersion: deps.taxonomyVersion };
  const stopClaimingAt = Date.now() + CLAIMING_WINDOW_MS;
  let failure: unknown;

  const claim = async (): Promise<ProductForClassification[] | undefined> => {
    if (failure !== undefined || result.exhausted || result.batches >= input.maxBatches || Date.now() > stopClaimingAt) return undefined;
    result.batches++;
    let products: ProductForClassification[];
    try {
      products = await claimProductsForClassification(catalog, {
        tenantId,
        claimant: input.claimant,
        limit: input.batchSize,
        leaseSeconds: input.leaseSeconds,
        harvestRunId: input.harvestRunId,
      });
    } catch (error) {
      result.batches--;
      throw error;
    }
    if (products.length > 0) return products;
    result.batches--;
    result.exhausted = true;
    return undefined;
  };
  const handBack = (products: readonly ProductForClassification[]): void => {
    result.handedBack.push(products.map((product) => product.id));
  };
  // Awaited later: a claim that fails meanwhile is not an unhandled rejection.
  const claimAhead = (): Promise<ProductForClassification[] | undefined> => {
    const claimed = claim();
    claimed.catch(() => undefined);
    return claimed;
  };

  const recording: Promise<void>[] = [];
  let next = claimAhead();
  for (;;) {
    let products: ProductForClassification[] | undefined;
    try {
      products = await next;
    } catch (error) {
      failure ??= error;
      break;
    }
    if (!products) break;
    if (failure !== undefined) {
      handBack(products); // a record failed meanwhile: stop here
      break;
    }
    next = claimAhead();
    let outcomes: ClassificationOutcome[];
    try {
      outcomes = await classifier.classify(products);
    } catch {
      handBack(products);
      const after = await next.catch((error: unknown) => void (failure ??= error));
      if (after) handBack(after);
      break;
    }
    const classified = products;
    recording.push(
      recordOutcomes(catalog, batch, classified, outcomes).then(
        (recorded) => {
          result.processed += recorded.processed;
          result.failed += recorded.failed;
        },
        (error: unknown) => {
          failure ??= error;
          handBack(classified);
        },
      ),
    );
  }
  await Promise.all(recording);
  if (failure !== undefined && result.processed + result.failed === 0 && result.handedBack.length === 0) throw failure;
  return result;
}

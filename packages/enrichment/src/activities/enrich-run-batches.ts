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

/*
 * Batches of one harvest run, one after the other, as a pipeline: while the classifier answers batch
 * N, batch N+1 is claimed (with its content, in one statement) and batch N-1 is recorded, so a lane
 * takes about the classifier's time per batch. A batch whose classifier call fails is not retried
 * here: it goes back to the workflow still claimed, with the batch claimed after it, and the workflow
 * classifies them with `classifyProducts` (its retries, then bisection). A database error fails the
 * activity; the batches it held are taken again when their lease ends.
 */
export async function enrichRunBatches(deps: RunBatchesDeps, input: EnrichRunBatchesInput): Promise<EnrichRunBatchesResult> {
  const catalog = await deps.catalog();
  const classifier = deps.classifier();
  const tenantId = input.tenantId ?? deps.defaultTenantId;
  const result: EnrichRunBatchesResult = { tenantId, processed: 0, failed: 0, batches: 0, exhausted: false, handedBack: [] };
  const batch = { tenantId, claimant: input.claimant, classifier: classifier.name, taxonomyVersion: deps.taxonomyVersion };

  const claim = async (): Promise<ProductForClassification[] | undefined> => {
    if (result.exhausted || result.batches >= input.maxBatches) return undefined;
    result.batches++;
    const products = await claimProductsForClassification(catalog, {
      tenantId,
      claimant: input.claimant,
      limit: input.batchSize,
      leaseSeconds: input.leaseSeconds,
      harvestRunId: input.harvestRunId,
    });
    if (products.length > 0) return products;
    result.batches--;
    result.exhausted = true;
    return undefined;
  };
  // A promise awaited later must not count as an unhandled rejection in the meantime.
  const later = <T>(promise: Promise<T>): Promise<T> => (promise.catch(() => undefined), promise);

  const recording: Promise<void>[] = [];
  let next = later(claim());
  try {
    for (let products = await next; products; products = await next) {
      next = later(claim());
      let outcomes: ClassificationOutcome[];
      try {
        outcomes = await classifier.classify(products);
      } catch {
        result.handedBack.push(products.map((product) => product.id));
        const after = await next;
        if (after) result.handedBack.push(after.map((product) => product.id));
        break;
      }
      recording.push(
        later(
          recordOutcomes(catalog, batch, products, outcomes).then((recorded) => {
            result.processed += recorded.processed;
            result.failed += recorded.failed;
          }),
        ),
      );
    }
  } finally {
    await Promise.allSettled(recording);
  }
  await Promise.all(recording);
  return result;
}

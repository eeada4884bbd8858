import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HarvestRunNotFoundError,
  MAX_RUN_ERRORS,
  SupplierNotFoundError,
  finishHarvestRun,
  getHarvestRun,
  lastSuccessfulRun,
  recordRunErrors,
  saveStoreProgress,
  startHarvestRun,
  upsertSupplier,
  type Catalog,
} from '../src/index.js';
import { BACKENDS, openMigrated } from './backends.js';

const T = 'tenant-r';

describe.each(BACKENDS)('harvest runs on $kind', (backend) => {
  let catalog: Catalog;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ catalog, dispose } = await openMigrated(backend));
    await upsertSupplier(catalog, T, { id: 'runs', feedUrl: 'https://feeds.example.com/runs.csv', format: 'csv' });
  });
  afterAll(() => dispose());

  it('records a run from start to finish, keeping the first row-level errors', async () => {
    const run = await startHarvestRun(catalog, T, { supplierId: 'runs', workflowId: 'harvest-runs-1' });
    expect(run).toMatchObject({ tenantId: T, supplierId: 'runs', status: 'running', dryRun: false, workflowId: 'harvest-runs-1', finishedAt: null });
    await saveStoreProgress(catalog, T, run.id, { recordsStored: 5000, batches: 2 });
    await recordRunErrors(catalog, T, run.id, { errors: [{ record: 7, reason: 'name: missing' }], invalid: 1 });
    expect(await getHarvestRun(catalog, T, run.id)).toMatchObject({ invalidCount: 1, errorCount: 1, errors: [{ record: 7, reason: 'name: missing' }] });

    const errors = Array.from({ length: MAX_RUN_ERRORS + 20 }, (_, index) => ({ record: index + 1, line: index + 2, reason: 'price: not a number' }));
    const finished = await finishHarvestRun(catalog, T, run.id, {
      status: 'completed',
      feedHash: 'f'.repeat(64),
      feedBytes: 5_000_000_000,
      counts: { created: 10, updated: 2, unchanged: 3, invalid: 120, duplicates: 1, errors: 120, markedMissing: 4 },
      durations: { download: 10, parse: 20, store: 30 },
      errors,
    });
    expect(finished).toMatchObject({
      status: 'completed',
      feedBytes: 5_000_000_000,
      createdCount: 10,
      updatedCount: 2,
      unchangedCount: 3,
      invalidCount: 120,
      duplicateCount: 1,
      errorCount: 120,
      markedMissingCount: 4,
      durations: { download: 10, parse: 20, store: 30 },
      storeProgress: { recordsStored: 5000, batches: 2 },
    });
    expect(finished.finishedAt).toBeInstanceOf(Date);
    expect(finished.errors).toHaveLength(MAX_RUN_ERRORS);
    expect(finished.errors[0]).toEqual({ record: 1, line: 2, reason: 'price: not a number' });
    expect(await getHarvestRun(catalog, T, run.id)).toEqual(finished);
  });

  it('finds the last successful run, skipping failed and dry runs', async () => {
    await upsertSupplier(catalog, T, { id: 'last', feedUrl: 'https://feeds.example.com/last.csv', format: 'csv' });
    expect(await lastSuccessfulRun(catalog, T, 'last')).toBeUndefined();
    const ok = await startHarvestRun(catalog, T, { supplierId: 'last' });
    await finishHarvestRun(catalog, T, ok.id, { status: 'completed', feedHash: 'h1' });
    const failed = await startHarvestRun(catalog, T, { supplierId: 'last' });
    await finishHarvestRun(catalog, T, failed.id, { status: 'failed' });
    const dry = await startHarvestRun(catalog, T, { supplierId: 'last', dryRun: true });
    await finishHarvestRun(catalog, T, dry.id, { status: 'dry_run', feedHash: 'h2' });
    expect((await lastSuccessfulRun(catalog, T, 'last'))?.id).toBe(ok.id);
    expect(await lastSuccessfulRun(catalog, 'someone-else', 'last')).toBeUndefined();
  });

  it("refuses unknown suppliers and other tenants' runs", async () => {
    await expect(startHarvestRun(catalog, T, { supplierId: 'nope' })).rejects.toThrow(new SupplierNotFoundError(T, 'nope'));
    const run = await startHarvestRun(catalog, T, { supplierId: 'runs' });
    await expect(getHarvestRun(catalog, 'other', run.id)).rejects.toBeInstanceOf(HarvestRunNotFoundError);
    await expect(finishHarvestRun(catalog, 'other', run.id, { status: 'failed' })).rejects.toBeInstanceOf(HarvestRunNotFoundError);
    await expect(getHarvestRun(catalog, T, 'not-a-uuid')).rejects.toBeInstanceOf(HarvestRunNotFoundError);
    expect((await getHarvestRun(catalog, T, run.id)).status).toBe('running');
  });
});

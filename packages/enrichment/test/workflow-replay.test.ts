// Histories recorded by earlier versions of EnrichmentWorkflow replay without a nondeterminism error
// against the current code: runs in flight when a worker is upgraded go on with the commands they
// recorded. `histories/*-activities.json`: before the local-activities patch; `*-local-activities.json`:
// with it; `harvest-run-run-batches.json` and `product-ids-claim-ahead.json`: with the claim-ahead and
// run-batches patches. Each version has a harvest run with a bisected batch and an id run that
// continues as new.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('./histories/', import.meta.url));
const workflowsPath = fileURLToPath(new URL('../src/workflows.ts', import.meta.url));
const files = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();

describe('EnrichmentWorkflow replay', () => {
  it('has recorded histories of every earlier version', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'harvest-run-activities.json',
        'harvest-run-local-activities.json',
        'harvest-run-run-batches.json',
        'product-ids-activities.json',
        'product-ids-local-activities.json',
        'product-ids-claim-ahead.json',
      ]),
    );
  });

  it.each(files)('replays %s', { timeout: 120_000 }, async (file) => {
    const history: unknown = JSON.parse(readFileSync(`${dir}${file}`, 'utf8'));
    await expect(Worker.runReplayHistory({ workflowsPath }, history, `replay-${file}`)).resolves.toBeUndefined();
  });
});

// The ids a parse has seen are kept in files beside the staged feed: the
// parse-and-store activity must remove them whether it succeeds or fails,
// not leave them for the run's staging directory to take along.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHarvestRun, migrateCatalog, openCatalog, startHarvestRun, upsertSupplier, type Catalog } from '@contextworker/catalog';
import { createTestDatabase } from '@contextworker/test-utils';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogAccess } from '../src/activities/catalog-access.js';
import { parseAndStoreActivity } from '../src/activities/parse-and-store.js';
import { discardStagingDir, ensureStagingDir } from '../src/activities/staging.js';
import { TransformerRegistry } from '../src/transformers/transformer-registry.js';

const TENANT = 'acme';
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let catalog: Catalog;
const runs: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('seen-files');
  catalog = await openCatalog({ url: db.url, embeddedDir: '' });
  await migrateCatalog(catalog);
});
afterAll(async () => {
  for (const run of runs) await discardStagingDir(run);
  await catalog?.close();
  await db?.drop();
});

const offer = (id: number, name = `Tent ${id}`): string => `<offer id="${id}"><name>${name}</name><price>10</price></offer>\n`;
const yml = (offers: string): string => `<yml_catalog><shop><offers>\n${offers}</offers></shop></yml_catalog>`;
/** More offers than the table of recent ids holds, so runs are written to files. */
const MANY = 40_000;

async function parseAndStore(supplierId: string, body: string) {
  await upsertSupplier(catalog, TENANT, { id: supplierId, feedUrl: 'http://127.0.0.1/feed.yml', format: 'yml' });
  const run = await startHarvestRun(catalog, TENANT, { supplierId });
  runs.push(run.id);
  const dir = await ensureStagingDir(run.id);
  const stagedPath = join(dir, 'feed.yml');
  writeFileSync(stagedPath, body);
  const deps = { catalog: new CatalogAccess(async () => catalog), open: async () => catalog, transformers: new TransformerRegistry() };
  const input = { tenantId: TENANT, supplierId, harvestRunId: run.id, stagedPath, dryRun: false, feedSha256: 'test' };
  const outcome = new MockActivityEnvironment().run(parseAndStoreActivity, deps, input);
  return { outcome, files: () => readdirSync(dir) };
}

describe('parseAndStoreProducts and the files of ids seen', () => {
  it('removes them when the feed is stored, with its repeats found across them', async () => {
    const offers = Array.from({ length: MANY }, (_, i) => offer(i + 1)).join('') + offer(7, 'Tent 7 again');
    const { outcome, files } = await parseAndStore('stored', yml(offers));
    await expect(outcome).resolves.toMatchObject({ valid: MANY, duplicates: 1, created: MANY });
    expect(files()).toEqual(['feed.yml']);
    const run = await getHarvestRun(catalog, TENANT, runs.at(-1)!);
    expect(run.errors).toEqual([expect.objectContaining({ record: MANY + 1, reason: 'duplicate external id "7" (first at record 7)' })]);
  });

  it('removes them when the feed fails to parse part-way', async () => {
    const offers = Array.from({ length: MANY }, (_, i) => offer(i + 1)).join('') + offer(MANY + 1, 'Tom &bogus; Jerry');
    const { outcome, files } = await parseAndStore('broken', yml(offers));
    await expect(outcome).rejects.toThrow(/undefined entity. \(line 40002/);
    expect(files()).toEqual(['feed.yml']);
  });
});

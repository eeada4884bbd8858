import { migrateCatalog, openCatalog, startHarvestRun, upsertProductBatch, productContentHash } from '@contextworker/catalog';
import { createTestDatabase, type TestDatabase } from '@contextworker/test-utils';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../src/exit-codes.js';
import { runInProcess } from './in-process-cli.js';

const cli = (...args: string[]) => runInProcess(['suppliers', ...args]);

describe('contextworker suppliers', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('suppliers_cli');
    const catalog = await openCatalog({ url: database.url, embeddedDir: '/unused' });
    await migrateCatalog(catalog);
    await catalog.close();
    vi.stubEnv('DATABASE_URL', database.url);
    vi.stubEnv('TENANT_ID', 'cli-shop');
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await database.drop();
  });

  it('adds, updates, lists and removes suppliers of the tenant', async () => {
    const added = await cli('add', 'camping-trade', '--feed-url', 'https://feeds.example.com/c.csv', '--format', 'csv', '--delimiter', ';', '--auth-header', 'Authorization=CAMPING_TOKEN');
    expect(added).toMatchObject({ code: 0, stdout: 'Added supplier camping-trade (csv, https://feeds.example.com/c.csv) for tenant cli-shop.\n' });
    const updated = await cli('add', 'camping-trade', '--feed-url', 'https://feeds.example.com/c.csv', '--format', 'csv', '--cron', '0 */4 * * *', '--name', 'Camping Trade');
    expect(updated.stdout).toBe('Updated supplier camping-trade (csv, https://feeds.example.com/c.csv) for tenant cli-shop.\n');

    const table = (await cli('list')).stdout.split('\n');
    expect(table[0]).toMatch(/^ID\s+FORMAT\s+FEED URL\s+TRANSFORMER\s+CRON\s+LAST HARVEST$/);
    expect(table[1]).toMatch(/^camping-trade\s+csv\s+https:\/\/feeds\.example\.com\/c\.csv\s+-\s+0 \*\/4 \* \* \*\s+never$/);
    const listed = JSON.parse((await cli('list', '--json')).stdout) as { id: string; name: string; options: unknown }[];
    expect(listed).toMatchObject([{ id: 'camping-trade', name: 'Camping Trade', options: {} }]);

    expect(await cli('remove', 'camping-trade')).toMatchObject({ code: 0, stdout: 'Removed supplier camping-trade from tenant cli-shop.\n' });
    expect((await cli('list')).stdout).toBe('No suppliers for tenant cli-shop.\n');
  });

  it('refuses bad input with a clear message and a non-zero exit code', async () => {
    expect((await cli('add', 'x', '--format', 'csv')).code).toBe(ExitCode.usage);
    expect((await cli('add', 'x', '--feed-url', 'https://f.example.com/x', '--format', 'csv', '--auth-header', 'Bearer abc')).code).toBe(ExitCode.usage);

    const invalid = await cli('add', 'Bad Id', '--feed-url', 'ftp://f.example.com/x', '--format', 'tsv');
    expect(invalid.code).not.toBe(ExitCode.ok);
    expect(invalid.stderr).toContain('Supplier "Bad Id" is invalid (3 problems)');
    expect(invalid.stderr).toContain('format: must be one of csv, json, jsonl, xml, yml, google-merchant');

    const missing = await cli('remove', 'no-such-supplier');
    expect(missing.code).not.toBe(ExitCode.ok);
    expect(missing.stderr).toContain('Supplier "no-such-supplier" not found for tenant "cli-shop"');
  });

  it('refuses to remove a supplier with products unless --with-products', async () => {
    await cli('add', 'stocked', '--feed-url', 'https://feeds.example.com/s.json', '--format', 'json');
    const catalog = await openCatalog({ url: database.url, embeddedDir: '/unused' });
    try {
      const run = await startHarvestRun(catalog, 'cli-shop', { supplierId: 'stocked' });
      const product = { externalId: 'p1', name: 'Stove' };
      await upsertProductBatch(catalog, { tenantId: 'cli-shop', supplierId: 'stocked', harvestRunId: run.id, products: [{ ...product, contentHash: productContentHash(product) }] });
    } finally {
      await catalog.close();
    }
    const refused = await cli('remove', 'stocked');
    expect(refused.code).not.toBe(ExitCode.ok);
    expect(refused.stderr).toContain('still has 1 product; remove them too with { withProducts: true } (CLI: --with-products)');
    expect((await cli('remove', 'stocked', '--with-products')).stdout).toBe('Removed supplier stocked and its 1 product from tenant cli-shop.\n');
  });
});

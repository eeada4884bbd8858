import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@contextworker/test-utils';
import { MIGRATIONS_SCHEMA, MIGRATIONS_TABLE, migrateCatalog, openCatalog, type Catalog } from '../src/index.js';
import { BACKENDS } from './backends.js';

// The contract other codebases read: renaming any of these is a breaking change.
const CONTRACT: Record<string, string[]> = {
  suppliers: [
    'tenant_id', 'id', 'name', 'feed_url', 'format', 'transformer', 'options', 'harvest_cron', 'last_etag', 'last_modified',
    'last_content_hash', 'last_harvest_at', 'created_at', 'updated_at',
  ],
  dealer_products: [
    'id', 'tenant_id', 'supplier_id', 'external_id', 'name', 'description', 'vendor', 'category', 'category_id', 'price', 'currency',
    'old_price', 'stock', 'available', 'url', 'images', 'barcode', 'attributes', 'content_hash', 'enrichment_status', 'enrichment_result',
    'enrichment_hash', 'claimed_by', 'claim_expires_at', 'missing_since', 'last_seen_run_id', 'first_seen_at', 'last_seen_at', 'updated_at',
    'source_hash',
  ],
  harvest_runs: [
    'id', 'tenant_id', 'supplier_id', 'status', 'started_at', 'finished_at', 'feed_hash', 'feed_bytes', 'created_count', 'updated_count',
    'unchanged_count', 'invalid_count', 'duplicate_count', 'error_count', 'marked_missing_count', 'durations', 'errors', 'store_progress',
    'dry_run', 'workflow_id',
  ],
};

describe.each(BACKENDS)('migrateCatalog on $kind', (backend) => {
  let catalog: Catalog;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ catalog, dispose } = await backend.open());
  });
  afterAll(() => dispose());

  it('applies the migrations once; a second run applies nothing and changes nothing', async () => {
    const first = await migrateCatalog(catalog);
    expect(first.applied.length).toBeGreaterThan(0);
    expect(first.applied).toHaveLength(first.total);
    const second = await migrateCatalog(catalog);
    expect(second).toEqual({ applied: [], total: first.total });
    const [row] = await catalog.query<{ n: number }>(`select count(*)::int as n from "${MIGRATIONS_SCHEMA}"."${MIGRATIONS_TABLE}"`);
    expect(row?.n).toBe(first.total);
  });

  it('creates the documented tables and columns, every table with tenant_id', async () => {
    const rows = await catalog.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns
       where table_schema = current_schema() and table_name = any($1::text[]) order by table_name, ordinal_position`,
      [Object.keys(CONTRACT)],
    );
    const actual: Record<string, string[]> = {};
    for (const row of rows) (actual[row.table_name] ??= []).push(row.column_name);
    expect(actual).toEqual(CONTRACT);
  });
});

describe('migrateCatalog on one PostgreSQL from several replicas at once', () => {
  it('applies the migrations exactly once', async () => {
    const database = await createTestDatabase('catalog_race');
    const catalogs = await Promise.all([1, 2, 3].map(() => openCatalog({ url: database.url, embeddedDir: '/unused', max: 1 })));
    try {
      const results = await Promise.all(catalogs.map((catalog) => migrateCatalog(catalog)));
      expect(results.map((result) => result.applied.length).sort()).toEqual([0, 0, results[0]!.total]);
    } finally {
      await Promise.all(catalogs.map((catalog) => catalog.close()));
      await database.drop();
    }
  });
});

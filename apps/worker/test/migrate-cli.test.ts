import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@contextworker/test-utils';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runInProcess } from './in-process-cli.js';

const cli = (...args: string[]) => runInProcess(['migrate', ...args]);

describe('contextworker migrate', () => {
  let database: TestDatabase;
  const projectDir = mkdtempSync(join(tmpdir(), 'migrate-cli-'));

  beforeAll(async () => {
    database = await createTestDatabase('migrate_cli');
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await database.drop();
    rmSync(projectDir, { recursive: true, force: true });
  });

  it('migrates the PostgreSQL of DATABASE_URL, then reports it up to date', async () => {
    vi.stubEnv('DATABASE_URL', database.url);
    const first = await cli();
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/^Migrated the database postgres:\/\/\S+: applied 3 of 3 migrations\.\n {2}0000_init\n {2}0001_seen_ids\n {2}0002_source_hash\n$/);
    const again = await cli('--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ kind: 'postgres', applied: [], total: 3 });
    expect((await database.sql`select count(*)::int as n from suppliers`)[0]).toEqual({ n: 0 });
  });

  it('without DATABASE_URL migrates the embedded database under the project directory', async () => {
    vi.stubEnv('DATABASE_URL', undefined);
    const result = await cli('--project-dir', projectDir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Migrated the embedded database ${join(projectDir, '.contextworker', 'pgdata')}: applied 3 of 3 migrations.`);
    expect((await cli('--project-dir', projectDir)).stdout).toMatch(/is up to date \(3 migrations\)\.\n$/);
  });
});

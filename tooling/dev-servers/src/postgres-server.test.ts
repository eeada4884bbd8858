import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findPostgresBinaries, highestVersionDir } from './postgres-server.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'postgres-server-test-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fakeBinaries(binDir: string, names = ['initdb', 'pg_ctl']): Promise<void> {
  await mkdir(binDir, { recursive: true });
  for (const name of names) {
    await writeFile(join(binDir, name), '#!/bin/sh\n');
    await chmod(join(binDir, name), 0o755);
  }
}

describe('highestVersionDir', () => {
  it('compares versions numerically and ignores other entries', () => {
    expect(highestVersionDir(['9.6', '15', '13', 'common'])).toBe('15');
    expect(highestVersionDir(['9.6', '10'])).toBe('10');
    expect(highestVersionDir(['common'])).toBeUndefined();
  });
});

describe('findPostgresBinaries', () => {
  it('uses PG_BIN first', async () => {
    await fakeBinaries(join(dir, 'pgbin'));
    await fakeBinaries(join(dir, 'path'));
    expect(findPostgresBinaries({ PG_BIN: join(dir, 'pgbin'), PATH: join(dir, 'path') }, join(dir, 'none'))).toEqual({
      initdb: join(dir, 'pgbin', 'initdb'),
      pgCtl: join(dir, 'pgbin', 'pg_ctl'),
    });
  });

  it('names PG_BIN when it holds no binaries', () => {
    expect(() => findPostgresBinaries({ PG_BIN: join(dir, 'nothing') })).toThrow(/PG_BIN is set to ".*nothing".*postgresql package/);
  });

  it('uses PATH before the Debian directories', async () => {
    await fakeBinaries(join(dir, 'path'));
    await fakeBinaries(join(dir, 'debian', '15', 'bin'));
    expect(findPostgresBinaries({ PATH: join(dir, 'path') }, join(dir, 'debian')).initdb).toBe(join(dir, 'path', 'initdb'));
  });

  it("falls back to the highest version of Debian's directories", async () => {
    await fakeBinaries(join(dir, 'debian', '9.6', 'bin'));
    await fakeBinaries(join(dir, 'debian', '16', 'bin'));
    await fakeBinaries(join(dir, 'path'), ['initdb']); // pg_ctl missing: PATH does not count
    expect(findPostgresBinaries({ PATH: join(dir, 'path') }, join(dir, 'debian')).pgCtl).toBe(join(dir, 'debian', '16', 'bin', 'pg_ctl'));
  });

  it('explains how to install PostgreSQL when nothing is found', () => {
    expect(() => findPostgresBinaries({ PATH: join(dir, 'empty') }, join(dir, 'none'))).toThrow(
      /initdb, pg_ctl\) not found .* Install Debian's postgresql package .* or set PG_BIN/,
    );
  });
});

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTempDir } from '@contextworker/test-utils';
import { describe, expect, it } from 'vitest';
import { CatalogLockedError, lockFileFor, openCatalog } from '../src/index.js';

const CHILD = fileURLToPath(new URL('./fixtures/open-embedded.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface Child {
  pid: number;
  /** Resolves once the child opened the catalog, or rejects with its exit. */
  opened: Promise<void>;
  exited: Promise<{ code: number | null; stderr: string }>;
  release(): void;
  kill(): void;
}

function openInChild(dir: string): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
  const opened = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('opened')) resolve();
    });
    void exited.then(({ code }) => reject(new Error(`child exited with ${code}: ${stderr}`)));
  });
  opened.catch(() => undefined);
  return { pid: child.pid!, opened, exited, release: () => child.stdin.end(), kill: () => child.kill('SIGKILL') };
}

describe('the embedded catalog serves one process', () => {
  it('refuses a second process with a clear message, and lets it in once the first closes', async () => {
    await withTempDir(async (root) => {
      const dir = join(root, 'pgdata');
      const catalog = await openCatalog({ embeddedDir: dir });
      expect(readFileSync(lockFileFor(dir), 'utf8').trim()).toBe(String(process.pid));

      const refused = await openInChild(dir).exited;
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(`The embedded database at ${dir} is in use by process ${process.pid}; set DATABASE_URL to a PostgreSQL server to run more than one worker`);

      await catalog.close();
      expect(existsSync(lockFileFor(dir))).toBe(false);
      const second = openInChild(dir);
      await second.opened;
      second.release();
      expect((await second.exited).code).toBe(0);
    });
  });

  it('takes over the lock of a process that died, and refuses a second open in the same process', async () => {
    await withTempDir(async (root) => {
      const dir = join(root, 'pgdata');
      const child = openInChild(dir);
      await child.opened;
      await expect(openCatalog({ embeddedDir: dir })).rejects.toThrow(`is in use by process ${child.pid}`);
      child.kill();
      await child.exited;
      expect(readFileSync(lockFileFor(dir), 'utf8').trim()).toBe(String(child.pid));

      const catalog = await openCatalog({ embeddedDir: dir });
      try {
        const [row] = await catalog.query<{ ok: number }>('select 1 as ok');
        expect(row?.ok).toBe(1);
        await expect(openCatalog({ embeddedDir: dir })).rejects.toBeInstanceOf(CatalogLockedError);
      } finally {
        await catalog.close();
      }
    });
  });
});

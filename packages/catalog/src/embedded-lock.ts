import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CatalogLockedError } from './errors.js';

/** An exclusive claim on an embedded data directory, held until `release()`. */
export interface EmbeddedLock {
  /** The lock file, `<embeddedDir>.lock`. */
  readonly file: string;
  release(): void;
}

// Lock files this process holds: a lock naming our own pid that is not in here was left
// behind by an earlier process that had the same pid (pid 1 in a restarted container).
const held = new Set<string>();

/**
 * The lock file sits beside the data directory, not inside it: PGlite's initdb refuses
 * a directory that is not empty, and the lock must exist before the directory is initialized.
 */
export function lockFileFor(embeddedDir: string): string {
  return `${resolve(embeddedDir)}.lock`;
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Moves a stale lock aside atomically. If another process took the lock over in the
 * meantime, what we moved is its live lock: put it back and report it as the holder.
 */
function removeStale(file: string, embeddedDir: string, stalePid: number | undefined): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const movedPid = readPid(aside);
  if (movedPid !== stalePid && movedPid !== undefined && isAlive(movedPid)) {
    try {
      linkSync(aside, file);
    } catch {
      // Someone else holds it again already; either way it is not ours.
    }
    unlinkSync(aside);
    throw new CatalogLockedError(embeddedDir, file, movedPid);
  }
  unlinkSync(aside);
}

/**
 * Takes the exclusive lock of an embedded data directory: the lock file is created with O_EXCL and
 * holds our pid. A lock whose process is gone is taken over; a live one is refused.
 *
 * @throws {CatalogLockedError} when another live process (or this one) holds the directory.
 */
export function acquireEmbeddedLock(embeddedDir: string): EmbeddedLock {
  const dir = resolve(embeddedDir);
  const file = lockFileFor(dir);
  mkdirSync(dirname(file), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    if (tryCreate(file)) break;
    const pid = readPid(file);
    const ours = pid === process.pid && held.has(file);
    if (pid !== undefined && (ours || (pid !== process.pid && isAlive(pid)))) throw new CatalogLockedError(dir, file, pid);
    if (attempt >= 3) throw new CatalogLockedError(dir, file, pid ?? 0);
    removeStale(file, dir, pid);
  }
  held.add(file);

  const release = (): void => {
    if (!held.delete(file)) return;
    process.off('exit', release);
    if (readPid(file) === process.pid) {
      try {
        unlinkSync(file);
      } catch {
        // Already gone: nothing to release.
      }
    }
  };
  // A process that exits without closing the catalog still frees the directory.
  process.on('exit', release);
  return { file, release };
}

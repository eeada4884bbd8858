// CPU seconds from /proc, per scenario: steadier than wall time on a shared machine, and they say
// which side did the work, the worker process (all its threads) or PostgreSQL (every backend).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Linux reports times in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on.
const TICKS_PER_SECOND = 100;

interface ProcStat {
  ppid: number;
  /** utime + stime of the process itself. */
  own: number;
  /** cutime + cstime: children it has waited for (exited backends, for the postmaster). */
  reaped: number;
}

/** The fields of /proc/<pid>/stat used here, read after the command name (which may hold spaces). */
export function parseStat(text: string): ProcStat {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ticks = (index: number) => Number(fields[index]);
  return { ppid: ticks(1), own: ticks(11) + ticks(12), reaped: ticks(13) + ticks(14) };
}

function readStat(pid: number): ProcStat | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** CPU seconds a process has used so far, all threads. */
export function processCpuSeconds(pid: number): number {
  return (readStat(pid)?.own ?? NaN) / TICKS_PER_SECOND;
}

/**
 * CPU seconds the PostgreSQL server of `dataDir` has used so far: the postmaster, the backends that
 * exited (reaped by it) and the ones still running.
 */
export function postgresCpuSeconds(dataDir: string): number {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const root = readStat(postmaster);
  if (!root) return NaN;
  let ticks = root.own + root.reaped;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat?.ppid === postmaster) ticks += stat.own;
  }
  return ticks / TICKS_PER_SECOND;
}

export interface CpuSeconds {
  worker: number;
  postgres: number;
}

/** Starts counting; the returned function gives the CPU seconds used since. */
export function countCpu(workerPid: number, postgresDataDir: string): () => CpuSeconds {
  const worker = processCpuSeconds(workerPid);
  const postgres = postgresCpuSeconds(postgresDataDir);
  return () => ({ worker: processCpuSeconds(workerPid) - worker, postgres: postgresCpuSeconds(postgresDataDir) - postgres });
}

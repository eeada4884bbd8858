// The real worker: the built CLI as a child process, its peak memory read
// from /proc (VmHWM, reset between scenarios through clear_refs).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from '@contextworker/dev-servers';

export const CLI = fileURLToPath(new URL('../../../apps/worker/dist/cli.js', import.meta.url));

// Asynchronous on purpose: a blocked event loop would stop draining the child's pipes.
export async function cli(args: string[], env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`contextworker ${args.join(' ')} failed (${code}):\n${stderr}`);
  return stdout;
}

function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
}

export interface WorkerProcess {
  pid: number;
  /** Seconds from spawning the process to its first ready answer. */
  readySeconds: number;
  /** Resident memory now, in MiB. */
  rssMiB(): number;
  /** Peak resident memory since the last reset, in MiB. */
  peakRssMiB(): number;
  resetPeak(): void;
  /** V8 heap and external memory now (MB), from the worker's /metrics. */
  heapMB(): Promise<{ heap: number; external: number }>;
  /** The worker's stderr so far. */
  log(): string;
  stop(): Promise<void>;
}

export async function startWorker(args: string[], env: Record<string, string>, nodeOptions: string[] = [], stdout = false): Promise<WorkerProcess> {
  const port = await findFreePort();
  const child: ChildProcess = spawn(process.execPath, [...nodeOptions, CLI, 'run', ...args, '--http-port', String(port)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', stdout ? 'inherit' : 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (chunk) => (log += chunk));
  const started = performance.now();
  for (;;) {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) break;
    if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}:\n${log}`);
    if (performance.now() - started > 120_000) throw new Error(`worker not ready after 120 s:\n${log}`);
    await sleep(50);
  }
  const pid = child.pid!;
  return {
    pid,
    readySeconds: (performance.now() - started) / 1000,
    rssMiB: () => statusKiB(pid, 'VmRSS') / 1024,
    peakRssMiB: () => statusKiB(pid, 'VmHWM') / 1024,
    // Linux: writing 5 to clear_refs resets the peak RSS to the current RSS.
    resetPeak: () => writeFileSync(`/proc/${pid}/clear_refs`, '5'),
    heapMB: async () => {
      const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
      const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / 1e6;
      return { heap: value('nodejs_heap_size_total_bytes'), external: value('nodejs_external_memory_bytes') };
    },
    log: () => log,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

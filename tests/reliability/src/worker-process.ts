// Worker processes for the suite: the built `contextworker` CLI, started as a
// deployment starts it, one OS process per worker.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startNodeScript, waitFor, type ScriptProcess } from '@contextworker/test-utils';

const require = createRequire(import.meta.url);

/** The built CLI of apps/worker. */
export const CLI = join(dirname(require.resolve('@contextworker/worker/package.json')), 'dist', 'cli.js');

export interface WorkerProcess extends ScriptProcess {
  pid: number;
  /** Highest resident set size of the process so far, in bytes (Linux `VmHWM`); undefined once it exited. */
  peakRss(): number | undefined;
  /** SIGKILL unless it already exited; resolves when it did. */
  kill(): Promise<void>;
}

/** Starts `contextworker run` with `env` and resolves once it polls its task queue. */
export async function startWorker(env: Record<string, string>, args: readonly string[] = ['--modules', 'harvester']): Promise<WorkerProcess> {
  const process = startNodeScript(CLI, ['run', ...args], env, 'run `pnpm build` before the reliability suite.');
  const pid = process.child.pid;
  if (pid === undefined) throw new Error('the worker process did not start');
  const worker: WorkerProcess = {
    ...process,
    pid,
    peakRss: () => peakRss(pid),
    kill: async () => {
      if (process.child.exitCode === null && process.child.signalCode === null) process.child.kill('SIGKILL');
      await process.exited;
    },
  };
  try {
    await waitFor(
      () => {
        if (process.child.exitCode !== null) throw new Error(`the worker exited with ${process.child.exitCode}:\n${process.output()}`);
        return worker.logs().some((line) => line.msg === 'Worker polling') ? true : undefined;
      },
      'the worker to poll',
      120_000,
    );
  } catch (error) {
    await worker.kill();
    throw error;
  }
  return worker;
}

/** Runs a CLI command (migrate, suppliers ...) to completion. */
export async function runCliCommand(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const process = startNodeScript(CLI, args, env);
  const code = await process.exited;
  return { code, output: process.output() };
}

function peakRss(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

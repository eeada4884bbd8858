// Runs the built `contextworker` CLI as a real process, as a deployment would.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface CliProcess {
  child: ChildProcess;
  output(): string;
  /** Parsed JSON log lines written so far. */
  logs(): Record<string, unknown>[];
  exited: Promise<number | null>;
}

/** Starts the CLI with `env` over the test's environment; `unset` names variables to leave out. */
export function startCli(args: string[], env: Record<string, string>, unset: readonly string[] = []): CliProcess {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`pnpm build\` before the integration tests (pnpm check does).`);
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const name of unset) delete merged[name];
  const child = spawn(process.execPath, [CLI, ...args], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => text,
    logs: () =>
      text
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Runs the CLI to completion; returns its exit code and output. */
export async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const cli = startCli(args, env);
  const code = await cli.exited;
  return { code, output: cli.output() };
}

export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export async function httpStatus(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url);
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

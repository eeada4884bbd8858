// Runs a Node script (such as the built `contextworker` CLI) as a real child process,
// as a deployment would, keeping its output and JSON log lines for assertions.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ScriptProcess {
  child: ChildProcess;
  output(): string;
  /** Parsed JSON log lines written so far. */
  logs(): Record<string, unknown>[];
  exited: Promise<number | null>;
}

/** Starts `node script ...args` with `env` laid over this process's environment. */
export function startNodeScript(script: string, args: readonly string[], env: Record<string, string>, missingHint = '', unset: readonly string[] = []): ScriptProcess {
  if (!existsSync(script)) throw new Error(`${script} is missing${missingHint ? `: ${missingHint}` : ''}`);
  // `env` goes over the test's environment; `unset` names variables the script must not inherit.
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const name of unset) delete merged[name];
  const child = spawn(process.execPath, [script, ...args], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
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
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return []; // a line cut by a kill -9
          }
        }),
  };
}

/** Polls `probe` every 50 ms until it returns a value; throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** The HTTP status of a GET to `url`, or undefined when nothing answers. */
export async function httpStatus(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url);
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

// Runs the built `contextworker` CLI as a real process, as a deployment would.
import { fileURLToPath } from 'node:url';
import { startNodeScript, type ScriptProcess } from '@contextworker/test-utils';

export { httpStatus, waitFor } from '@contextworker/test-utils';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export type CliProcess = ScriptProcess;

/** Starts the CLI with `env` over the test's environment; `unset` names variables to leave out. */
export function startCli(args: string[], env: Record<string, string>, unset: readonly string[] = []): CliProcess {
  return startNodeScript(CLI, args, env, 'run `pnpm build` before the integration tests (pnpm check does).', unset);
}

/** Runs the CLI to completion; returns its exit code and output. */
export async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const cli = startCli(args, env);
  const code = await cli.exited;
  return { code, output: cli.output() };
}

// Runs `contextworker ...` in this process the way main() does, capturing
// stdout, stderr and the exit code — quicker than spawning the built CLI.
import { CommanderError } from 'commander';
import { vi } from 'vitest';
import { ExitCode, exitCodeFor } from '../src/exit-codes.js';
import { buildProgram, throwInsteadOfExit } from '../src/program.js';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runInProcess(args: readonly string[]): Promise<CliOutcome> {
  const program = throwInsteadOfExit(buildProgram());
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    await program.parseAsync(['node', 'contextworker', ...args]);
    return { code: ExitCode.ok, stdout, stderr };
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.exitCode === 0 ? ExitCode.ok : ExitCode.usage, stdout, stderr };
    return { code: exitCodeFor(error), stdout, stderr: `${stderr}${(error as Error).message}` };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

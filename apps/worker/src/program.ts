import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerBundleCommand } from './commands/bundle.js';
import { registerDevCommand } from './commands/dev.js';
import { registerHarvestCommand } from './commands/harvest.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerModulesCommand } from './commands/modules.js';
import { registerRunCommand } from './commands/run.js';
import { registerSchedulesCommand } from './commands/schedules.js';
import { registerSuppliersCommand } from './commands/suppliers.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const EXIT_CODES_HELP = `
Exit codes:
  0   success (including a clean shutdown after SIGINT/SIGTERM)
  1   unexpected failure
  64  bad command line, an unknown module, schedule or supplier, invalid supplier input
  65  the prebuilt workflow bundle does not match this worker
  69  Temporal or the database cannot be reached
  78  bad configuration (environment, module definitions, duplicate names, invalid schedules,
      embedded database in use by another process)`;

/** The `contextworker` command line; each command registers itself from commands/. */
export function buildProgram(): Command {
  const program = new Command('contextworker')
    .description('Run ContextWorker: one Temporal worker composed from the installed ContextWorker modules.')
    .version(version)
    .showHelpAfterError()
    .addHelpText('after', EXIT_CODES_HELP);
  registerRunCommand(program);
  registerDevCommand(program);
  registerBundleCommand(program);
  registerModulesCommand(program);
  registerSchedulesCommand(program);
  registerHarvestCommand(program);
  registerMigrateCommand(program);
  registerSuppliersCommand(program);
  return program;
}

/** Makes commander throw instead of exiting, on every command and subcommand, so exit codes stay ours. */
export function throwInsteadOfExit(command: Command): Command {
  command.exitOverride();
  for (const sub of command.commands) throwInsteadOfExit(sub);
  return command;
}

/** Runs the command line and returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  throwInsteadOfExit(program);
  try {
    await program.parseAsync(argv as string[]);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    const code = exitCodeFor(error);
    process.stderr.write(`contextworker: ${error instanceof Error ? error.message : String(error)}\n`);
    if (code === ExitCode.failure && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return code;
  }
}

#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { findFreePort } from './ports.js';
import { findTemporalCli, temporalCliNotFoundMessage } from './temporal-cli.js';
import { startTemporalDevServer } from './temporal-dev-server.js';

const USAGE = `Usage:
  contextworker-dev-servers [temporal-cli] [--no-build]
      Find (or build with Go) the Temporal CLI; prints its path on stdout, progress on stderr.
      This is the default command.
  contextworker-dev-servers temporal [--port N] [--ui-port N | --headless] [--db-filename F]
                                     [--ip A] [--namespace NS ...] [--log-level L]
      Start a Temporal dev server and run it until interrupted.`;

// Progress goes to stderr so stdout carries only the result (`TEMPORAL_CLI_PATH=$(... temporal-cli)`).
const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function findCli(build: boolean): Promise<string> {
  const cliPath = await findTemporalCli({ build, log: progress });
  if (!cliPath) throw new UsageError(temporalCliNotFoundMessage());
  return cliPath;
}

async function temporalCliCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { 'no-build': { type: 'boolean', default: false } } });
  process.stdout.write(`${await findCli(!values['no-build'])}\n`);
}

async function temporalCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      'ui-port': { type: 'string' },
      headless: { type: 'boolean', default: false },
      'db-filename': { type: 'string' },
      ip: { type: 'string' },
      namespace: { type: 'string', multiple: true },
      'log-level': { type: 'string' },
    },
  });
  const ip = values.ip ?? '127.0.0.1';
  const port = values.port === undefined ? undefined : parsePort('--port', values.port);
  // A person running this wants the UI, so it is on (at a free port) unless --headless.
  const uiPort = values.headless
    ? false
    : values['ui-port'] === undefined
      ? await findFreePort(ip)
      : parsePort('--ui-port', values['ui-port']);

  const server = await startTemporalDevServer({
    cliPath: await findCli(true),
    ip,
    port,
    uiPort,
    dbFilename: values['db-filename'],
    namespaces: values.namespace,
    logLevel: values['log-level'],
    log: progress,
  });
  process.stdout.write(`Temporal address: ${server.address}\n`);
  if (server.uiUrl) process.stdout.write(`Temporal UI:      ${server.uiUrl}\n`);
  progress('Running; press Ctrl+C to stop.');

  await new Promise<void>((resolve) => {
    const shutdown = (): void => resolve();
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  progress('Stopping the Temporal dev server ...');
  await server.stop();
}

function parsePort(flag: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`${flag} must be a port number between 1 and 65535, got "${value}".`);
  }
  return port;
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  // No command (or only flags) means temporal-cli, so `pnpm temporal-cli` prints the path.
  const [command, ...args] = argv[0] === undefined || /^--(?!help)/.test(argv[0]) ? ['temporal-cli', ...argv] : argv;
  switch (command) {
    case 'temporal-cli':
      return temporalCliCommand(args);
    case 'temporal':
      return temporalCommand(args);
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return;
    default:
      throw new UsageError(`Unknown command "${command}".\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  // Our errors say what went wrong and what to do; a stack trace would only bury that.
  process.stderr.write(`contextworker-dev-servers: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

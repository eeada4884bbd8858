import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { findFreePort, formatHostPort } from './ports.js';
import { forEachLine, OutputTail } from './process-output.js';
import { canConnect, formatSeconds, sleep } from './wait.js';

export interface StartTemporalDevServerOptions {
  /** Path to the `temporal` binary (see `findTemporalCli`). */
  cliPath: string;
  /** Address the frontend (and UI) bind to. Default: 127.0.0.1. */
  ip?: string;
  /** Frontend gRPC port. Default: a free port. */
  port?: number;
  /** Web UI port, or false for no UI. Default: false (headless). */
  uiPort?: number | false;
  /** SQLite file that keeps state across restarts. Default: in memory, lost on stop. */
  dbFilename?: string;
  /** Namespaces to create besides `default`, which always exists. */
  namespaces?: string[];
  /** Server log level: debug, info, warn, error or never. Default: warn. */
  logLevel?: string;
  /** Receives every line the server prints. Default: silent (lines are still kept for errors). */
  log?: (line: string) => void;
  /** How long to wait for the server to serve requests. Default: 60 s. */
  readyTimeoutMs?: number;
  /**
   * Run the server in its own process group, so a Ctrl-C in the terminal reaches only the parent,
   * which can drain its workers before calling stop(). Default: false.
   */
  detached?: boolean;
}

export interface TemporalDevServer {
  /** gRPC address for clients and workers, e.g. `127.0.0.1:7233`. */
  address: string;
  /** Web UI URL, when the UI is enabled. */
  uiUrl?: string;
  /** Process id of the server. */
  pid: number;
  /** Stops the server: SIGTERM, then SIGKILL if it is still running a few seconds later. */
  stop(): Promise<void>;
}

/** The `temporal` arguments that start a dev server with these settings. */
export function temporalDevServerArgs(options: {
  ip: string;
  port: number;
  uiPort?: number | false;
  dbFilename?: string;
  namespaces?: string[];
  logLevel?: string;
}): string[] {
  const args = ['server', 'start-dev', '--ip', options.ip, '--port', String(options.port)];
  if (options.uiPort === undefined || options.uiPort === false) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  for (const namespace of options.namespaces ?? []) args.push('--namespace', namespace);
  args.push('--log-level', options.logLevel ?? 'warn', '--color', 'never');
  return args;
}

const STOP_GRACE_MS = 5_000;
const BIND_ATTEMPTS = 3;

/**
 * Starts `temporal server start-dev` and resolves once the frontend answers for every namespace
 * (and the UI answers, when enabled). Rejects with the server's last output when it exits early
 * or is not ready in time.
 */
export async function startTemporalDevServer(options: StartTemporalDevServerOptions): Promise<TemporalDevServer> {
  // A port found free can be taken before the server binds it; then retry on a fresh port.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort(options.ip ?? '127.0.0.1'));
    try {
      return await startOnce(options, port);
    } catch (error) {
      const retry = options.port === undefined && attempt < BIND_ATTEMPTS && error instanceof PortInUseError;
      if (!retry) throw error;
    }
  }
}

class PortInUseError extends Error {}

async function startOnce(options: StartTemporalDevServerOptions, port: number): Promise<TemporalDevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const address = formatHostPort(ip, port);
  const uiUrl = options.uiPort ? `http://${formatHostPort(ip, options.uiPort)}` : undefined;
  const namespaces = ['default', ...(options.namespaces ?? [])];
  const log = options.log ?? (() => {});
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const started = Date.now();

  const child = spawn(options.cliPath, temporalDevServerArgs({ ...options, ip, port }), {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached === true,
  });
  const tail = new OutputTail();
  const onLine = (line: string): void => {
    tail.push(line);
    log(line);
  };
  forEachLine(child.stdout, onLine);
  forEachLine(child.stderr, onLine);

  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  // If the parent exits without calling stop(), do not leave an orphaned server behind.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!hasExited) {
        child.kill('SIGTERM');
        const timer = sleep(STOP_GRACE_MS, 'timeout' as const, { ref: false });
        if ((await Promise.race([exited, timer])) === 'timeout') {
          child.kill('SIGKILL');
          await exited;
        }
      }
      process.off('exit', killOnExit);
    })();
    return stopping;
  };

  const failure = (reason: string): Error => {
    const message = `Temporal dev server (${options.cliPath}) on ${address} ${reason}. Last server output:\n${tail.format()}`;
    return /address already in use/i.test(tail.format()) ? new PortInUseError(message) : new Error(message);
  };

  try {
    while (true) {
      if (spawnError) throw new Error(`Could not start ${options.cliPath}: ${spawnError.message}`);
      if (hasExited) throw failure(`exited with code ${child.exitCode ?? child.signalCode} before it was ready`);
      if (Date.now() - started > timeoutMs) throw failure(`was not ready after ${formatSeconds(timeoutMs)}`);
      if (await isReady(options.cliPath, ip, port, address, namespaces, uiUrl)) break;
      await sleep(200);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  log(`Temporal dev server ready on ${address}${uiUrl ? ` (UI ${uiUrl})` : ''} after ${formatSeconds(Date.now() - started)}`);
  return { address, ...(uiUrl ? { uiUrl } : {}), pid: requirePid(child), stop };
}

async function isReady(
  cliPath: string,
  ip: string,
  port: number,
  address: string,
  namespaces: string[],
  uiUrl: string | undefined,
): Promise<boolean> {
  // A cheap TCP check first, so the CLI is only run once something listens.
  if (!(await canConnect(ip, port))) return false;
  // The frontend listening is not enough: namespaces are served only once the server is fully up.
  for (const namespace of namespaces) {
    if (!(await cliSucceeds(cliPath, ['operator', 'namespace', 'describe', '--namespace', namespace, '--address', address]))) {
      return false;
    }
  }
  if (uiUrl) {
    try {
      const response = await fetch(uiUrl, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status >= 500) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function cliSucceeds(cliPath: string, args: string[]): Promise<boolean> {
  const probeArgs = [
    ...args,
    '--command-timeout',
    '3s',
    '--output',
    'none',
    '--color',
    'never',
    // Ignore the user's Temporal profile and TEMPORAL_* variables (API keys, TLS): we talk to our own server.
    '--disable-config-file',
    '--disable-config-env',
  ];
  return new Promise((resolve) => {
    execFile(cliPath, probeArgs, { timeout: 5_000 }, (error) => resolve(error === null));
  });
}

function requirePid(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('The Temporal dev server process has no pid');
  return child.pid;
}

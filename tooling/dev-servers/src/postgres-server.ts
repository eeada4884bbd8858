import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath, isExecutableFile } from './temporal-cli.js';
import { findFreePort } from './ports.js';
import { canConnect, formatSeconds } from './wait.js';

/** The superuser every server we start has; authentication is `trust`, so no password. */
export const POSTGRES_SUPERUSER = 'contextworker';

const HOST = '127.0.0.1';
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';
const NOT_FOUND_HINT = "Install Debian's postgresql package (apt-get install -y postgresql) or set PG_BIN to the directory holding initdb and pg_ctl.";

export interface PostgresBinaries {
  initdb: string;
  pgCtl: string;
}

export interface StartPostgresOptions {
  /** Data directory to use and keep. Default: a fresh temporary one, removed by stop(). */
  dataDir?: string;
  /** TCP port on 127.0.0.1. Default: a free port. */
  port?: number;
  /** Receives progress lines. Default: silent. */
  log?: (line: string) => void;
  /** Environment to read `PG_BIN` and `PATH` from. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

export interface PostgresServer {
  /** Connection URL for the superuser and the `postgres` database. */
  url: string;
  host: string;
  port: number;
  /** The cluster's data directory. */
  dataDir: string;
  /** Stops the server (`pg_ctl stop -m fast`) and removes the data directory if it was temporary. */
  stop(): Promise<void>;
}

/**
 * Of Debian's version directories (`/usr/lib/postgresql/<version>`), the highest version,
 * compared numerically so 10 beats 9.6.
 */
export function highestVersionDir(names: string[]): string | undefined {
  const versions = names.filter((name) => /^\d+(\.\d+)*$/.test(name));
  const key = (name: string): number[] => name.split('.').map(Number);
  versions.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
      const diff = (ka[i] ?? 0) - (kb[i] ?? 0);
      if (diff !== 0) return diff;
    }
    return 0;
  });
  return versions.at(-1);
}

/**
 * Finds `initdb` and `pg_ctl`: in `$PG_BIN`, else on PATH, else in the highest
 * `/usr/lib/postgresql/<version>/bin` (Debian does not put them on PATH).
 */
export function findPostgresBinaries(env: NodeJS.ProcessEnv = process.env, debianRoot = DEBIAN_POSTGRES_ROOT): PostgresBinaries {
  if (env.PG_BIN) {
    const fromEnv = binariesIn(env.PG_BIN);
    if (!fromEnv) throw new Error(`PG_BIN is set to "${env.PG_BIN}", but it holds no executable initdb and pg_ctl. ${NOT_FOUND_HINT}`);
    return fromEnv;
  }
  const initdb = findOnPath('initdb', env);
  const pgCtl = findOnPath('pg_ctl', env);
  if (initdb && pgCtl) return { initdb, pgCtl };

  const version = existsSync(debianRoot) ? highestVersionDir(readdirSync(debianRoot)) : undefined;
  const fromDebian = version ? binariesIn(join(debianRoot, version, 'bin')) : undefined;
  if (fromDebian) return fromDebian;
  throw new Error(`PostgreSQL server binaries (initdb, pg_ctl) not found in PG_BIN, on PATH or under ${debianRoot}. ${NOT_FOUND_HINT}`);
}

function binariesIn(dir: string): PostgresBinaries | undefined {
  const initdb = join(dir, 'initdb');
  const pgCtl = join(dir, 'pg_ctl');
  return isExecutableFile(initdb) && isExecutableFile(pgCtl) ? { initdb, pgCtl } : undefined;
}

/** Quotes one word for the shell command line pg_ctl builds from `-o`. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Runs a command, as the `postgres` system user when `runAs` is set; rejects with its output. */
function run(command: string, args: string[], runAs: string | undefined, cwd: string): Promise<string> {
  const [file, fileArgs] = runAs ? ['runuser', ['-u', runAs, '--', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    execFile(file, fileArgs, { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) {
        const output = `${stdout}${stderr}`.trim() || error.message;
        reject(new Error(`\`${[file, ...fileArgs].join(' ')}\` failed:\n${output}`));
      } else resolve(stdout);
    });
  });
}

/** uid and gid of a system user, via `id` (no native bindings needed). */
function lookupUser(name: string): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      `PostgreSQL refuses to run as root, so it must run as the "${name}" system user, which does not exist. ` +
        `${NOT_FOUND_HINT} (the package creates that user), or run the tests as a non-root user.`,
    );
  }
}

/**
 * Starts a throwaway PostgreSQL server on 127.0.0.1: initdb (trust auth, UTF8, superuser
 * `contextworker`), fsync off because test data need not survive a crash, and a unix socket directory
 * of its own so it never collides with a system cluster. When run as root, the server runs as the
 * `postgres` system user, since PostgreSQL refuses to run as root.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const log = options.log ?? (() => {});
  const binaries = findPostgresBinaries(options.env ?? process.env);
  const runAs = process.getuid?.() === 0 ? 'postgres' : undefined;
  const owner = runAs ? lookupUser(runAs) : undefined;
  const started = Date.now();

  // Everything of ours lives in one directory: data (unless given), socket and log.
  const workDir = await mkdtemp(join(tmpdir(), 'contextworker-postgres-'));
  const temporaryData = options.dataDir === undefined;
  const dataDir = options.dataDir ?? join(workDir, 'data');
  const socketDir = join(workDir, 'socket');
  const logFile = join(workDir, 'postgres.log');
  const removeWorkDir = (): Promise<void> => rm(workDir, { recursive: true, force: true });

  try {
    await mkdir(socketDir);
    if (owner) {
      await chown(workDir, owner.uid, owner.gid);
      await chown(socketDir, owner.uid, owner.gid);
    }
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      if (owner && !temporaryData) {
        await mkdir(dataDir, { recursive: true });
        await chown(dataDir, owner.uid, owner.gid);
      }
      log(`initdb ${dataDir}`);
      await run(
        binaries.initdb,
        ['-D', dataDir, '-U', POSTGRES_SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
        runAs,
        workDir,
      );
    }
  } catch (error) {
    await removeWorkDir();
    throw error;
  }

  // A port found free can be taken before PostgreSQL binds it; then retry on a fresh port.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort(HOST));
    try {
      await pgCtlStart(binaries, { dataDir, port, socketDir, logFile, runAs, cwd: workDir });
      if (!(await canConnect(HOST, port, 5_000))) {
        throw new Error(`PostgreSQL reported ready but does not accept connections on ${HOST}:${port}.`);
      }
      log(`PostgreSQL ready on ${HOST}:${port} after ${formatSeconds(Date.now() - started)}`);
      return serverHandle({ binaries, dataDir, port, workDir, runAs });
    } catch (error) {
      const serverLog = await readFile(logFile, 'utf8').catch(() => '');
      const portTaken = /could not bind|address already in use/i.test(serverLog);
      if (options.port === undefined && portTaken && attempt < 3) continue;
      await removeWorkDir();
      const lastLines = serverLog.trim().split('\n').slice(-20).map((line) => `  ${line}`).join('\n');
      throw new Error(`${(error as Error).message}${lastLines ? `\nServer log:\n${lastLines}` : ''}`);
    }
  }
}

interface PgCtlStartOptions {
  dataDir: string;
  port: number;
  socketDir: string;
  logFile: string;
  runAs: string | undefined;
  cwd: string;
}

async function pgCtlStart(binaries: PostgresBinaries, o: PgCtlStartOptions): Promise<void> {
  // Settings go on the command line so a kept data directory can start on a different port.
  const settings = [
    `listen_addresses=${HOST}`,
    `port=${o.port}`,
    `unix_socket_directories=${o.socketDir}`,
    'fsync=off',
    'synchronous_commit=off',
    'full_page_writes=off',
    'max_connections=200',
  ];
  const postgresOptions = settings.map((setting) => `-c ${shellQuote(setting)}`).join(' ');
  // -w waits until the server accepts connections (or fails), -t bounds that wait.
  await run(binaries.pgCtl, ['start', '-D', o.dataDir, '-l', o.logFile, '-w', '-t', '60', '-s', '-o', postgresOptions], o.runAs, o.cwd);
}

function serverHandle(o: {
  binaries: PostgresBinaries;
  dataDir: string;
  port: number;
  workDir: string;
  runAs: string | undefined;
}): PostgresServer {
  const pgCtlStop = (mode: 'fast' | 'immediate'): string[] => ['stop', '-D', o.dataDir, '-m', mode, '-w', '-t', '30', '-s'];

  // If the parent exits without calling stop(), do not leave a server and its files behind.
  const stopOnExit = (): void => {
    try {
      const [file, args] = o.runAs ? ['runuser', ['-u', o.runAs, '--', o.binaries.pgCtl, ...pgCtlStop('immediate')]] : [o.binaries.pgCtl, pgCtlStop('immediate')];
      execFileSync(file, args, { stdio: 'ignore', cwd: o.workDir, timeout: 10_000 });
    } catch {
      // Best effort: the process is exiting anyway.
    }
    rmSync(o.workDir, { recursive: true, force: true });
  };
  process.on('exit', stopOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.off('exit', stopOnExit);
      try {
        await run(o.binaries.pgCtl, pgCtlStop('fast'), o.runAs, o.workDir);
      } finally {
        await rm(o.workDir, { recursive: true, force: true });
      }
    })();
    return stopping;
  };

  const url = `postgres://${POSTGRES_SUPERUSER}@${HOST}:${o.port}/postgres`;
  return { url, host: HOST, port: o.port, dataDir: o.dataDir, stop };
}

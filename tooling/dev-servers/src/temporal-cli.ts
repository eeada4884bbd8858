import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { forEachLine, OutputTail } from './process-output.js';

/**
 * The Temporal CLI release we build. v1.5.1 is the newest tag whose go.mod has no
 * `replace` directive; `go install module@version` refuses modules that have one.
 */
export const TEMPORAL_CLI_VERSION = '1.5.1';

/** The Go package `go install` builds the `temporal` binary from. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

const BINARY_NAME = process.platform === 'win32' ? 'temporal.exe' : 'temporal';
const GO_NAME = process.platform === 'win32' ? 'go.exe' : 'go';

export interface FindTemporalCliOptions {
  /** Build the CLI with `go install` when no binary is found and Go is available. Default: true. */
  build?: boolean;
  /** Receives progress lines (what was found, build output). Default: silent. */
  log?: (line: string) => void;
  /** Environment to read `TEMPORAL_CLI_PATH`, `PATH` and `XDG_CACHE_HOME` from. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The directory holding our cached build: `<cache>/contextworker/temporal-cli-v<version>`, where
 * `<cache>` is `$XDG_CACHE_HOME` when it is an absolute path, else `~/.cache`.
 */
export function temporalCliCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  const cacheRoot = xdg && isAbsolute(xdg) ? xdg : join(home, '.cache');
  return join(cacheRoot, 'contextworker', `temporal-cli-v${TEMPORAL_CLI_VERSION}`);
}

/** Where the cached `temporal` binary lives (whether or not it has been built yet). */
export function cachedTemporalCliPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return join(temporalCliCacheDir(env, home), BINARY_NAME);
}

export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable file called `name` in the directories of `env.PATH`. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Validates an explicit `TEMPORAL_CLI_PATH`; a wrong explicit path is an error, never silently skipped. */
export function checkTemporalCliPath(path: string): string {
  const absolute = resolve(path);
  let isFile: boolean;
  try {
    isFile = statSync(absolute).isFile();
  } catch {
    throw new Error(
      `TEMPORAL_CLI_PATH is set to "${path}", but nothing exists there. ` +
        'Point it at a temporal binary, or unset it to use the one on PATH or a cached build.',
    );
  }
  if (!isFile) {
    throw new Error(`TEMPORAL_CLI_PATH is set to "${path}", which is not a file. Point it at the temporal binary itself.`);
  }
  try {
    accessSync(absolute, constants.X_OK);
  } catch {
    throw new Error(`TEMPORAL_CLI_PATH is set to "${path}", which is not executable. Run \`chmod +x ${path}\` or fix the path.`);
  }
  return absolute;
}

/** Explains where the CLI was looked for; used when nothing was found. */
export function temporalCliNotFoundMessage(env: NodeJS.ProcessEnv = process.env): string {
  return [
    'No Temporal CLI found. Looked for:',
    '  - TEMPORAL_CLI_PATH (not set)',
    '  - `temporal` on PATH (not there)',
    `  - a cached build at ${cachedTemporalCliPath(env)} (absent)`,
    `  - Go on PATH, to build it with \`go install ${TEMPORAL_CLI_MODULE}@v${TEMPORAL_CLI_VERSION}\` (absent or building disabled)`,
    'Install the Temporal CLI (https://docs.temporal.io/cli), install Go so it can be built, or set TEMPORAL_CLI_PATH.',
  ].join('\n');
}

/**
 * Finds a `temporal` binary: `TEMPORAL_CLI_PATH`, then `temporal` on PATH, then our cached build,
 * then (when `build` is not false and Go is on PATH) builds one into the cache.
 * Resolves to undefined when none is found and none can be built; callers may then fall back to the
 * Temporal SDK's own download, which needs internet access.
 */
export async function findTemporalCli(options: FindTemporalCliOptions = {}): Promise<string | undefined> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});

  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit) {
    const path = checkTemporalCliPath(explicit);
    log(`Using the Temporal CLI from TEMPORAL_CLI_PATH: ${path}`);
    return path;
  }

  const onPath = findOnPath(BINARY_NAME, env);
  if (onPath) {
    log(`Using the Temporal CLI on PATH: ${onPath}`);
    return onPath;
  }

  const cached = cachedTemporalCliPath(env);
  if (isExecutableFile(cached)) {
    log(`Using the cached Temporal CLI: ${cached}`);
    return cached;
  }

  if (options.build === false) return undefined;
  const go = findOnPath(GO_NAME, env);
  if (!go) {
    log('No Temporal CLI found and Go is not on PATH, so it cannot be built.');
    return undefined;
  }
  await buildTemporalCli({ go, targetDir: dirname(cached), env, log });
  return cached;
}

interface BuildOptions {
  go: string;
  targetDir: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

async function buildTemporalCli({ go, targetDir, env, log }: BuildOptions): Promise<void> {
  const parent = dirname(targetDir);
  await mkdir(parent, { recursive: true });
  // Build into a scratch directory beside the cache entry (same filesystem), then move the finished
  // binary in with one rename: an interrupted build never leaves a binary the next run would trust.
  const workDir = await mkdtemp(join(parent, `.temporal-cli-v${TEMPORAL_CLI_VERSION}-build-`));
  const started = Date.now();
  log(`Building the Temporal CLI v${TEMPORAL_CLI_VERSION} with ${go} (a few minutes the first time) ...`);
  try {
    await runGoInstall(go, workDir, {
      ...env,
      GOBIN: workDir,
      // A static build needs no C compiler and runs on any Linux of the same architecture.
      CGO_ENABLED: env.CGO_ENABLED ?? '0',
    }, log, started);
    const built = join(workDir, BINARY_NAME);
    if (!isExecutableFile(built)) {
      throw new Error(`go install reported success but left no ${BINARY_NAME} binary in ${workDir}.`);
    }
    await mkdir(targetDir, { recursive: true });
    await rename(built, join(targetDir, BINARY_NAME));
    log(`Built the Temporal CLI in ${formatSeconds(Date.now() - started)}: ${join(targetDir, BINARY_NAME)}`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function runGoInstall(
  go: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  started: number,
): Promise<void> {
  const spec = `${TEMPORAL_CLI_MODULE}@v${TEMPORAL_CLI_VERSION}`;
  return new Promise((resolvePromise, reject) => {
    // cwd is the scratch dir so no surrounding go.mod or go.work influences the build.
    const child = spawn(go, ['install', spec], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = new OutputTail();
    const onLine = (line: string): void => {
      tail.push(line);
      log(line);
    };
    forEachLine(child.stdout, onLine);
    forEachLine(child.stderr, onLine);
    // Compiling prints nothing for minutes; a heartbeat shows the build is alive.
    const heartbeat = setInterval(() => log(`... still building (${formatSeconds(Date.now() - started)} so far)`), 30_000);
    heartbeat.unref();
    child.once('error', (error) => {
      clearInterval(heartbeat);
      reject(new Error(`Could not run ${go}: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearInterval(heartbeat);
      if (code === 0) resolvePromise();
      else {
        reject(
          new Error(
            `\`go install ${spec}\` failed (${signal ? `signal ${signal}` : `exit code ${code}`}). ` +
              `Building needs the Go module proxy (GOPROXY). Last output:\n${tail.format()}`,
          ),
        );
      }
    });
  });
}

function formatSeconds(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

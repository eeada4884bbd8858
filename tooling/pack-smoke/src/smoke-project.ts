import { cpSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PackedPackage } from './pack-packages.js';
import { run, type RunResult } from './run-command.js';

/** The scripts and local module copied into every smoke project. */
const projectFiles = fileURLToPath(new URL('../project', import.meta.url));

export interface SmokeProject {
  /** The consuming project: package.json, node_modules, the copied scripts. */
  dir: string;
  /** Where pnpm puts the installed packages, outside `dir` (see createSmokeProject). */
  virtualStoreDir: string;
}

/**
 * The environment of a process in the smoke project: without the settings of the `pnpm` run that
 * started the tests (npm_config_*, npm_package_*) and without NODE_PATH or NODE_OPTIONS, which could
 * let a package resolve what it does not declare.
 */
export function projectEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_config_|npm_package_|pnpm_config_)/i.test(key) || key === 'NODE_PATH' || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Writes a consuming project in `root/project` that depends on every tarball, plus `extraDependencies`
 * from the registry. Overrides point the packages' dependencies on each other at the tarballs too.
 * The layout is strict, so a package resolves only what its own package.json declares: no hoisting, and
 * the virtual store sits outside the project, so the project's own node_modules is not an ancestor of
 * any installed package.
 */
export function createSmokeProject(root: string, packed: readonly PackedPackage[], extraDependencies: Record<string, string>): SmokeProject {
  const dir = join(root, 'project');
  const virtualStoreDir = join(root, 'virtual-store');
  cpSync(projectFiles, dir, { recursive: true });
  const tarballs = Object.fromEntries(packed.map((pkg) => [pkg.name, `file:${relative(dir, pkg.tarball)}`]));
  const manifest = {
    name: 'contextworker-pack-smoke',
    private: true,
    type: 'module',
    dependencies: { ...tarballs, ...extraDependencies },
    pnpm: {
      overrides: tarballs,
      onlyBuiltDependencies: ['@temporalio/core-bridge', '@swc/core', 'esbuild'],
      ignoredBuiltDependencies: ['protobufjs'],
    },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(join(dir, '.npmrc'), `hoist=false\npublic-hoist-pattern=\nvirtual-store-dir=${relative(dir, virtualStoreDir)}\n`);
  return { dir, virtualStoreDir };
}

/** Installs the project, third-party packages from pnpm's store where it has them. */
export function installSmokeProject(project: SmokeProject): Promise<RunResult> {
  // No lockfile exists yet: CI=true would otherwise imply --frozen-lockfile.
  return run('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile', '--reporter=append-only'], { cwd: project.dir, env: projectEnv(), timeoutMs: 150_000 });
}

/** Runs one of the copied scripts with plain Node in the project; its stdout's last line is JSON. */
export async function runProjectScript<T>(project: SmokeProject, script: string, env: Record<string, string> = {}): Promise<T> {
  const { stdout } = await run(process.execPath, [script], { cwd: project.dir, env: projectEnv(env), timeoutMs: 100_000 });
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(lastLine) as T;
}

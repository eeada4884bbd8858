import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run-command.js';

/** The package.json fields the smoke test reads. */
export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  main?: string;
  types?: string;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  contextworker?: { module?: string };
}

export interface PackedPackage {
  name: string;
  version: string;
  /** Absolute path of the tarball `pnpm pack` wrote. */
  tarball: string;
}

export function readManifest(path: string): PackageManifest {
  return JSON.parse(readFileSync(path, 'utf8')) as PackageManifest;
}

/** The published packages: every non-private package.json under `packages/`. */
export function publishedManifests(workspaceRoot: string): PackageManifest[] {
  const dir = join(workspaceRoot, 'packages');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => readManifest(join(dir, entry.name, 'package.json')))
    .filter((manifest) => !manifest.private);
}

// pnpm's tarball name: scope without "@", "/" as "-", then the version.
const tarballName = (manifest: PackageManifest): string => `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`;

/**
 * Packs every published package with `pnpm pack`, as `pnpm publish` would: `workspace:` ranges become
 * the versions of the packed packages, and only what `files` lists ships.
 */
export async function packPackages(workspaceRoot: string, destination: string): Promise<PackedPackage[]> {
  await run('pnpm', ['--recursive', '--filter', './packages/*', 'pack', '--pack-destination', destination], { cwd: workspaceRoot });
  const packed = new Set(readdirSync(destination));
  return publishedManifests(workspaceRoot).map((manifest) => {
    const file = tarballName(manifest);
    if (!packed.has(file)) throw new Error(`pnpm pack wrote no ${file} for ${manifest.name} (found: ${[...packed].join(', ')})`);
    return { name: manifest.name, version: manifest.version, tarball: join(destination, file) };
  });
}

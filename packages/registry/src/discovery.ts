import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuplicateRegistrationError, ModuleLoadError, UnknownModuleError } from './errors.js';
import { isWorkerModule, type WorkerModule } from './module.js';

/** A module found by discovery, with where it came from. */
export interface DiscoveredModule {
  module: WorkerModule;
  /** `local` for PROJECT_DIR/modules, else the npm package name. */
  source: string;
  location: string;
}

export interface DiscoverOptions {
  /** Its `modules/index.mjs` (or `.js`) is the local module. */
  projectDir: string;
  /** package.json files whose dependencies may be worker modules (the deployment's). */
  manifests: string[];
}

interface PackageManifest {
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  contextworker?: { module?: string };
}

function readManifest(path: string): PackageManifest {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PackageManifest;
  } catch (error) {
    throw new ModuleLoadError(path, `its package.json is not readable JSON (${(error as Error).message})`, { cause: error });
  }
}

// Node's own lookup: node_modules folders from the manifest's directory upwards.
function findInstalledPackage(fromDir: string, name: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

async function importModules(location: string): Promise<WorkerModule[]> {
  let exported: Record<string, unknown>;
  try {
    exported = (await import(pathToFileURL(location).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ModuleLoadError(location, (error as Error).message, { cause: error });
  }
  const fromDefault = exported.default;
  const candidates = fromDefault !== undefined ? [fromDefault].flat() : Object.values(exported).filter(isWorkerModule);
  const modules = candidates.filter(isWorkerModule);
  if (modules.length === 0 || modules.length !== candidates.length) {
    throw new ModuleLoadError(
      location,
      'it must export a worker module (an object with a lowercase `name`, and optional `workflowsPath`, `activities`, `schedules`) ' +
        'as its default export, or several as an array',
    );
  }
  return modules;
}

function localModuleEntry(projectDir: string): string | undefined {
  return ['index.mjs', 'index.js'].map((file) => resolve(projectDir, 'modules', file)).find((path) => existsSync(path));
}

/**
 * Finds the worker modules of a deployment: the local one in
 * `PROJECT_DIR/modules`, and every installed dependency whose package.json
 * declares `"contextworker": { "module": "./dist/module.js" }`.
 */
export async function discoverModules(options: DiscoverOptions): Promise<DiscoveredModule[]> {
  const found: DiscoveredModule[] = [];
  const seenLocations = new Set<string>();
  const add = (modules: WorkerModule[], source: string, location: string): void => {
    for (const module of modules) {
      const clash = found.find((entry) => entry.module.name === module.name);
      if (clash) throw new DuplicateRegistrationError('module', module.name, `${clash.source} (${clash.location})`, `${source} (${location})`);
      found.push({ module, source, location });
    }
  };

  const local = localModuleEntry(options.projectDir);
  if (local) add(await importModules(local), 'local', local);

  for (const manifestPath of options.manifests) {
    if (!existsSync(manifestPath)) continue;
    const manifest = readManifest(manifestPath);
    const names = Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }).sort();
    for (const name of names) {
      const packageJson = findInstalledPackage(dirname(manifestPath), name);
      if (!packageJson) continue; // optional or not installed: nothing to discover
      const declared = readManifest(packageJson).contextworker?.module;
      if (!declared) continue;
      const location = resolve(dirname(packageJson), declared);
      if (seenLocations.has(location)) continue;
      seenLocations.add(location);
      if (!existsSync(location)) throw new ModuleLoadError(location, `package ${name} declares it as its worker module, but the file is missing (is the package built?)`);
      add(await importModules(location), name, location);
    }
  }
  return found;
}

/** Keeps the modules named in `only` (all when empty), refusing names that were not discovered. */
export function selectModules(discovered: readonly DiscoveredModule[], only?: readonly string[]): DiscoveredModule[] {
  if (!only || only.length === 0) return [...discovered];
  const available = discovered.map((entry) => entry.module.name).sort();
  const unknown = only.filter((name) => !available.includes(name));
  if (unknown.length > 0) throw new UnknownModuleError(unknown, available);
  return discovered.filter((entry) => only.includes(entry.module.name));
}

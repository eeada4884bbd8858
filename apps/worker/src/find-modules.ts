import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerConfig } from '@contextworker/core-temporal';
import { discoverModules, selectModules, type DiscoveredModule } from '@contextworker/registry';

// The deployment is this app plus the project it runs for: modules installed
// as dependencies of either are found.
function deploymentManifests(projectDir: string): string[] {
  const appManifest = fileURLToPath(new URL('../package.json', import.meta.url));
  const projectManifest = join(projectDir, 'package.json');
  return [...new Set([appManifest, projectManifest])].filter((path) => existsSync(path));
}

/** Discovers the deployment's modules and keeps those named with `--modules` (all when none). */
export async function findModules(config: WorkerConfig, only?: readonly string[]): Promise<DiscoveredModule[]> {
  const discovered = await discoverModules({ projectDir: config.projectDir, manifests: deploymentManifests(config.projectDir) });
  return selectModules(discovered, only);
}

/** Where `contextworker bundle` writes, and `run` looks, unless told otherwise. */
export function defaultBundlePath(config: WorkerConfig): string {
  return join(config.projectDir, '.contextworker', 'workflow-bundle.js');
}

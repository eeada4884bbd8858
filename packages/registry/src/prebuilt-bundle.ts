import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '@temporalio/common';
import { BundleMismatchError } from './errors.js';
import { bundleModuleWorkflows, workerSdkVersion } from './workflow-bundle.js';
import type { WorkflowSourceEntry } from './worker-registry.js';

/** Written beside a prebuilt bundle: what it holds and which SDK made it. */
export interface BundleManifest {
  format: 1;
  sdkVersion: string;
  modules: { name: string; workflows: string[] }[];
  createdAt: string;
}

export function bundleManifestPath(bundlePath: string): string {
  return bundlePath.replace(/\.c?js$/, '') + '.manifest.json';
}

/** Writes a prebuilt workflow bundle and its manifest, for production workers to load without webpack. */
export async function writePrebuiltBundle(options: {
  sources: readonly WorkflowSourceEntry[];
  outFile: string;
  logger?: Logger;
}): Promise<BundleManifest> {
  const code = await bundleModuleWorkflows({ sources: options.sources, ...(options.logger ? { logger: options.logger } : {}) });
  const manifest: BundleManifest = {
    format: 1,
    sdkVersion: workerSdkVersion(),
    modules: options.sources.map((source) => ({ name: source.module, workflows: source.names })),
    createdAt: new Date().toISOString(),
  };
  await mkdir(dirname(options.outFile), { recursive: true });
  await writeFile(options.outFile, code);
  await writeFile(bundleManifestPath(options.outFile), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

function describeModules(modules: readonly { name: string; workflows: readonly string[] }[]): string {
  return modules.map((m) => `${m.name} [${[...m.workflows].sort().join(', ')}]`).sort().join('; ') || '(none)';
}

/**
 * Checks that a prebuilt bundle can serve this worker: made by the same
 * `@temporalio/worker` version, holding exactly the workflows of the selected modules.
 *
 * @throws {BundleMismatchError} naming what differs.
 */
export function verifyPrebuiltBundle(bundlePath: string, sources: readonly WorkflowSourceEntry[]): BundleManifest {
  if (!existsSync(bundlePath)) throw new BundleMismatchError(bundlePath, 'the file does not exist');
  const manifestPath = bundleManifestPath(bundlePath);
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BundleManifest;
  } catch {
    throw new BundleMismatchError(bundlePath, `its manifest ${manifestPath} is missing or unreadable`);
  }
  const sdkVersion = workerSdkVersion();
  if (manifest.format !== 1 || manifest.sdkVersion !== sdkVersion) {
    throw new BundleMismatchError(bundlePath, `it was made by @temporalio/worker ${manifest.sdkVersion}, but this worker runs ${sdkVersion}`);
  }
  const expected = describeModules(sources.map((s) => ({ name: s.module, workflows: s.names })));
  const actual = describeModules(manifest.modules);
  if (expected !== actual) {
    throw new BundleMismatchError(bundlePath, `it holds ${actual}, but this worker runs ${expected}`);
  }
  return manifest;
}

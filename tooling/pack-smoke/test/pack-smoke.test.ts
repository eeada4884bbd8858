// The published packages as a consumer gets them: packed with `pnpm pack`, installed from the tarballs
// into a fresh project outside the workspace, imported entry by entry, and run as a worker against the
// shared Temporal dev server. Needs `pnpm build` first (the tarballs ship `dist`).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startFeedServer, temporalAddress, uniqueSuffix, type FeedServer, type TestDatabase } from '@contextworker/test-utils';
import { packPackages, publishedManifests, readManifest, type PackageManifest, type PackedPackage } from '../src/pack-packages.js';
import { findVisiblePackage, importedPackages } from '../src/shipped-imports.js';
import { createSmokeProject, installSmokeProject, runProjectScript, type SmokeProject } from '../src/smoke-project.js';

const workspaceRoot = resolve(import.meta.dirname, '../../..');

interface EntryReport {
  specifier: string;
  ok: boolean;
  exports?: number;
  error?: string;
}

interface WorkerReport {
  modules: string[];
  workflowCode: string;
  greeting: string;
  harvest: { status: string; created: number; updated: number; unchanged: number; errors: number; invalid: number; enrichmentWorkflowId?: string };
  enrichment?: { processed: number; failed: number };
  scheduleIds: string[];
}

// Every file path an exports map (with its conditions) points to.
function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(exportTargets);
  return [];
}

const dependencyNames = (manifest: PackageManifest): string[] =>
  Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies });

describe('the published packages, packed and installed outside the workspace', () => {
  let root: string;
  let packed: PackedPackage[];
  let project: SmokeProject;
  const installedDir = (name: string): string => join(project.dir, 'node_modules', name);
  const installedManifest = (name: string): PackageManifest => readManifest(join(installedDir(name), 'package.json'));

  beforeAll(async () => {
    for (const manifest of publishedManifests(workspaceRoot)) {
      const dir = join(workspaceRoot, 'packages', manifest.name.split('/')[1]!, 'dist');
      if (!existsSync(dir)) throw new Error(`${manifest.name} has no dist/: run \`pnpm build\` before this test`);
    }
    root = mkdtempSync(join(tmpdir(), 'contextworker-pack-smoke-'));
    if (!relative(workspaceRoot, root).startsWith('..')) throw new Error(`The temporary directory ${root} is inside the workspace; set TMPDIR elsewhere`);
    packed = await packPackages(workspaceRoot, join(root, 'tarballs'));
    // The local module's workflows import the SDK, as a consuming project's own code would.
    const workflowSdk = readManifest(join(workspaceRoot, 'packages/harvester/package.json')).dependencies?.['@temporalio/workflow'];
    project = createSmokeProject(root, packed, { '@temporalio/workflow': workflowSdk! });
    await installSmokeProject(project);
  });

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('packs every package, with workspace: ranges replaced by the versions of the packed packages', () => {
    expect(packed.map((pkg) => pkg.name).sort()).toEqual(publishedManifests(workspaceRoot).map((m) => m.name).sort());
    const versions = new Map(packed.map((pkg) => [pkg.name, pkg.version]));
    for (const pkg of packed) {
      const manifest = installedManifest(pkg.name);
      for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies })) {
        expect(range, `${pkg.name} -> ${name}`).not.toMatch(/^workspace:/);
        const sibling = versions.get(name);
        if (sibling) expect([`^${sibling}`, sibling], `${pkg.name} -> ${name}`).toContain(range);
      }
    }
  });

  it('ships every file that exports, main, types and the worker module declaration point to', () => {
    for (const pkg of packed) {
      const manifest = installedManifest(pkg.name);
      const targets = [...exportTargets(manifest.exports), manifest.main, manifest.types, manifest.contextworker?.module].filter((t): t is string => !!t);
      const missing = targets.filter((target) => !existsSync(join(installedDir(pkg.name), target)));
      expect(missing, `${pkg.name}: files missing from the tarball`).toEqual([]);
    }
  });

  it('installs a strict layout, where a package cannot see what it does not declare', () => {
    // Without this, the next test could pass because of hoisting rather than correct package.json files.
    const everyDependency = new Set(packed.flatMap((pkg) => dependencyNames(installedManifest(pkg.name))));
    for (const pkg of packed) {
      const own = new Set([pkg.name, ...dependencyNames(installedManifest(pkg.name))]);
      const leaked = [...everyDependency].filter((name) => !own.has(name) && findVisiblePackage(installedDir(pkg.name), name));
      expect(leaked, `${pkg.name} sees packages it does not declare`).toEqual([]);
    }
  });

  it("resolves every package that the shipped code and types import from the importing package's own dependencies", () => {
    const unresolved: string[] = [];
    for (const pkg of packed) {
      for (const [name, file] of importedPackages(installedDir(pkg.name))) {
        if (!findVisiblePackage(installedDir(pkg.name), name)) unresolved.push(`${pkg.name}: ${name} (imported by ${relative(installedDir(pkg.name), file)})`);
      }
    }
    expect(unresolved, 'imported but not declared as a dependency').toEqual([]);
  });

  it('imports every export entry of every package in a plain Node process', async () => {
    const report = await runProjectScript<EntryReport[]>(project, 'import-entries.mjs');
    const expected = packed.flatMap((pkg) => Object.keys(installedManifest(pkg.name).exports ?? {}).map((subpath) => pkg.name + subpath.slice(1)));
    expect(report.map((entry) => entry.specifier).sort()).toEqual(expected.sort());
    const failures = report.filter((entry) => !entry.ok).map((entry) => `${entry.specifier}: ${entry.error?.split('\n')[0]}`);
    expect(failures, 'entries that failed to import').toEqual([]);
    expect(report.filter((entry) => entry.exports === 0).map((entry) => entry.specifier), 'entries that export nothing').toEqual([]);
  });

  describe('a worker composed from the installed packages', () => {
    let database: TestDatabase;
    let feeds: FeedServer;

    beforeAll(async () => {
      database = await createTestDatabase('pack_smoke');
      feeds = await startFeedServer();
      feeds.set('/offers.csv', { body: 'sku;name;price;currency;brand\nsku-1;Tunnel tent;189.00;EUR;Nordic\nsku-2;Sleeping bag;59.90;EUR;Alpine\n', contentType: 'text/csv' });
    });

    afterAll(async () => {
      await feeds?.close();
      await database?.drop();
    });

    it('runs the discovered modules against the dev server: a harvest, its enrichment, a local module and the schedules', async () => {
      const tenantId = `smoke${uniqueSuffix()}`;
      const report = await runProjectScript<WorkerReport>(project, 'run-worker.mjs', {
        TEMPORAL_HOST: temporalAddress(),
        DATABASE_URL: database.url,
        PROJECT_DIR: project.dir,
        TENANT_ID: tenantId,
        WORKER_TASK_QUEUE: `pack-smoke-${tenantId}`,
        HARVEST_ALLOW_NETWORKS: '127.0.0.1/32',
        SMOKE_FEED_URL: feeds.url('/offers.csv'),
      });

      expect(report.modules).toEqual([
        'enrichment (@contextworker/enrichment)',
        'gardener-polling (@contextworker/gardener-polling)',
        'harvester (@contextworker/harvester)',
        'smoke (local)',
      ]);
      expect(report.workflowCode).toBe('bundled');
      expect(report.greeting).toBe('hello, packages');
      expect(report.harvest).toMatchObject({ status: 'completed', created: 2, updated: 0, unchanged: 0, errors: 0, invalid: 0 });
      expect(report.enrichment).toEqual({ processed: 2, failed: 0 });
      expect(report.scheduleIds).toEqual([`gardener-${tenantId}`, `harvest-${tenantId}.smoke-${tenantId}`]);
    });
  });
});

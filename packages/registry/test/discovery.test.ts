import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuplicateRegistrationError, ModuleLoadError, UnknownModuleError, discoverModules, selectModules } from '../src/index.js';
import { makeDeployment } from '@contextworker/test-utils';

describe('discoverModules', () => {
  it('finds declared packages among the deployment dependencies, and the local module', async () => {
    const { manifest, projectDir } = makeDeployment([
      { name: 'alpha', packageName: '@acme/alpha' },
      { name: 'beta', packageName: 'beta-worker' },
      { name: 'quiet', packageName: 'not-a-module', declares: false },
      { name: 'shop-local' },
    ]);
    const found = await discoverModules({ projectDir, manifests: [manifest] });
    expect(found.map((f) => [f.module.name, f.source])).toEqual([
      ['shop-local', 'local'],
      ['alpha', '@acme/alpha'],
      ['beta', 'beta-worker'],
    ]);
  });

  it('finds nothing, without error, in an empty project', async () => {
    const { manifest, projectDir } = makeDeployment([]);
    expect(await discoverModules({ projectDir, manifests: [manifest, join(projectDir, 'missing.json')] })).toEqual([]);
  });

  it('refuses two modules with the same name, naming both places', async () => {
    const { manifest, projectDir } = makeDeployment([
      { name: 'alpha', packageName: 'alpha-one' },
      { name: 'alpha', packageName: 'alpha-two' },
    ]);
    const error = await discoverModules({ projectDir, manifests: [manifest] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateRegistrationError);
    expect((error as Error).message).toMatch(/Module "alpha" is registered by both module "alpha-one .*" and module "alpha-two .*"/);
  });

  it('says which file is wrong when a package exports something that is not a module', async () => {
    const { root, manifest, projectDir } = makeDeployment([{ name: 'alpha', packageName: 'alpha-pkg' }]);
    writeFileSync(join(root, 'node_modules', 'alpha-pkg', 'module.mjs'), 'export default { nom: 1 };');
    const error = await discoverModules({ projectDir, manifests: [manifest] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect((error as Error).message).toContain(join(root, 'node_modules', 'alpha-pkg', 'module.mjs'));
    expect((error as Error).message).toContain('must export a worker module');
  });
});

describe('selectModules', () => {
  it('keeps only the named modules, and lists the available ones for an unknown name', async () => {
    const { manifest, projectDir } = makeDeployment([
      { name: 'alpha', packageName: 'alpha-pkg' },
      { name: 'beta', packageName: 'beta-pkg' },
    ]);
    const found = await discoverModules({ projectDir, manifests: [manifest] });
    expect(selectModules(found, ['beta']).map((f) => f.module.name)).toEqual(['beta']);
    expect(selectModules(found, []).map((f) => f.module.name)).toEqual(['alpha', 'beta']);
    expect(() => selectModules(found, ['beta', 'gamma'])).toThrow(UnknownModuleError);
    expect(() => selectModules(found, ['gamma'])).toThrow('Unknown module: gamma. Available: alpha, beta.');
  });
});

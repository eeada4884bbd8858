// `pnpm lint:packages`: lints every published package (packages/*) as it will be published.
// publint checks package.json (exports, main, types, files, fields) against the files `pnpm pack` ships;
// attw (Are the types wrong?) checks that every entry of the exports map resolves to its own types.
//
// attw runs with `--profile esm-only`. The packages are ESM only: "type": "module" and an `import`
// condition, no CommonJS build. The profile leaves out two resolutions that an ESM-only package
// cannot serve: `node16` from CommonJS (require() of ESM fails on Node 20) and `node10`, TypeScript's
// legacy resolver, which ignores exports maps and so never sees subpath entries like `./workflows`.
// Consumers on `moduleResolution: node16 | nodenext | bundler`, from ESM, get every entry checked.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const packagesDir = join(root, 'packages');
const packages = readdirSync(packagesDir)
  .map((dir) => ({ dir: join(packagesDir, dir), manifest: JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private);

const run = (command, args, cwd = root) => spawnSync(command, args, { cwd, stdio: 'inherit' }).status === 0;

const tarballs = mkdtempSync(join(tmpdir(), 'contextworker-lint-packages-'));
const failed = [];
try {
  // Packed once, as `pnpm publish` would pack them (workspace: ranges replaced), for attw to read.
  if (!run('pnpm', ['--recursive', '--filter', './packages/*', 'pack', '--pack-destination', tarballs, '--silent'])) {
    throw new Error('pnpm pack failed; run `pnpm build` first if dist/ is missing');
  }
  for (const { dir, manifest } of packages) {
    const tarball = join(tarballs, `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`);
    if (!run('publint', ['--strict', dir])) failed.push(`${manifest.name} (publint)`);
    if (!run('attw', [tarball, '--profile', 'esm-only', '--format', 'table-flipped'])) failed.push(`${manifest.name} (attw)`);
  }
} finally {
  rmSync(tarballs, { recursive: true, force: true });
}

if (failed.length > 0) {
  console.error(`\nlint:packages failed for: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`\nlint:packages: ${packages.length} packages pass publint --strict and attw --profile esm-only.`);

// Tests import workspace packages from their sources, so a test run never
// depends on a stale dist/. Each package's exports map says which dist file an
// entry is; the source beside it has the same name under src/ with .ts.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string} root @returns {{ find: RegExp, replacement: string }[]} */
export function workspaceSourceAliases(root) {
  const aliases = [];
  for (const group of ['packages', 'apps', 'tooling']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const dir of readdirSync(groupDir)) {
      const manifestPath = join(groupDir, dir, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
        const file = typeof target === 'string' ? target : target.import;
        if (typeof file !== 'string' || !file.startsWith('./dist/')) continue;
        const source = join(groupDir, dir, file.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
        const specifier = manifest.name + subpath.slice(1);
        aliases.push({ find: new RegExp(`^${specifier.replace(/[/.]/g, '\\$&')}$`), replacement: source });
      }
    }
  }
  return aliases;
}

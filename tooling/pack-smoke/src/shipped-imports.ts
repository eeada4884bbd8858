import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';

// Declaration files hold only import/export declarations and import() types, so a pattern finds
// every specifier. In JavaScript only dynamic import() is scanned: static imports are proven by
// loading every entry, and a pattern for `from "..."` would also match SQL in template strings.
const DECLARATION_IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(['"])([^'"\s]+)\1/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*(['"])([^'"\s]+)\1\s*\)/g;

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The packages that a package's shipped code and types import by bare specifier, with the file of first use. */
export function importedPackages(packageDir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of listFiles(join(packageDir, 'dist'))) {
    const pattern = file.endsWith('.d.ts') ? DECLARATION_IMPORT : file.endsWith('.js') ? DYNAMIC_IMPORT : undefined;
    if (!pattern) continue;
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
      const specifier = match[2]!;
      if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) continue;
      const name = packageNameOf(specifier);
      if (!found.has(name)) found.set(name, file);
    }
  }
  return found;
}

/**
 * Where Node (and TypeScript) would find package `name` from inside `packageDir`: the first
 * `node_modules/<name>` on the way up from the package's real location.
 */
export function findVisiblePackage(packageDir: string, name: string): string | undefined {
  for (let dir = realpathSync(packageDir); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

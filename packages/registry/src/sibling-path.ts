import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The path of a module file next to `fromUrl` (usually `import.meta.url`),
 * whether the package runs from its built `.js` files or its `.ts` sources.
 */
export function siblingModulePath(fromUrl: string, name: string): string {
  for (const extension of ['.js', '.ts', '.mjs']) {
    const path = fileURLToPath(new URL(`./${name}${extension}`, fromUrl));
    if (existsSync(path)) return path;
  }
  throw new Error(`No ${name}.js or ${name}.ts beside ${fileURLToPath(fromUrl)}`);
}

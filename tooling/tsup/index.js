// Shared build settings: ESM, types, one file per entry, Node 20 target.
/** @param {Record<string, string>} entry @returns {import('tsup').Options} */
export function definePackageBuild(entry) {
  return {
    entry,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: false,
  };
}

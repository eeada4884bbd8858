// Imports every entry of every installed @contextworker package, as a consumer's plain Node
// process would: each subpath of each exports map. Prints one JSON report, failures included.
import { readFileSync } from 'node:fs';

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const names = Object.keys(readJson('package.json').dependencies).filter((name) => name.startsWith('@contextworker/'));

const report = [];
for (const name of names) {
  const { exports } = readJson(`node_modules/${name}/package.json`);
  for (const subpath of Object.keys(exports)) {
    const specifier = name + subpath.slice(1);
    try {
      const loaded = subpath.endsWith('.json') ? await import(specifier, { with: { type: 'json' } }) : await import(specifier);
      report.push({ specifier, ok: true, exports: Object.keys(loaded).length });
    } catch (error) {
      report.push({ specifier, ok: false, error: String(error?.stack ?? error) });
    }
  }
}
process.stdout.write(JSON.stringify(report) + '\n');

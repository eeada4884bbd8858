import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeedFormat, SupplierOptions } from '@contextworker/catalog';

/** A demo supplier shipped with the worker, its feed read from `demo/feeds/`. */
export interface DemoSupplier {
  id: string;
  name: string;
  format: FeedFormat;
  options?: SupplierOptions;
  /** Path under which the demo feed host serves the feed, e.g. `/camping-trade.yml`. */
  path: string;
  contentType: string;
  body: Buffer;
}

interface DemoSupplierEntry {
  id: string;
  name: string;
  file: string;
  format: FeedFormat;
  contentType: string;
  options?: SupplierOptions;
}

// The app's own directory, found from this file whether it runs from src/dev/ or bundled in dist/.
function demoDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'demo');
  }
  throw new Error('the worker app directory (with package.json and demo/) was not found');
}

/** The demo suppliers listed in `demo/suppliers.json`, with their feed files loaded. */
export function loadDemoSuppliers(dir: string = demoDir()): DemoSupplier[] {
  const manifestPath = join(dir, 'suppliers.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { suppliers?: DemoSupplierEntry[] };
  if (!Array.isArray(manifest.suppliers) || manifest.suppliers.length === 0) {
    throw new Error(`${manifestPath} lists no suppliers`);
  }
  return manifest.suppliers.map((entry) => ({
    id: entry.id,
    name: entry.name,
    format: entry.format,
    ...(entry.options ? { options: entry.options } : {}),
    path: `/${basename(entry.file)}`,
    contentType: entry.contentType,
    body: readFileSync(join(dir, entry.file)),
  }));
}

import { InvalidArgumentError, type Command } from 'commander';
import {
  listSuppliers,
  migrateCatalog,
  removeSupplier,
  upsertSupplier,
  type Catalog,
  type FeedFormat,
  type Supplier,
  type SupplierOptions,
} from '@contextworker/catalog';
import { loadConfig } from '../load-config.js';
import { withCatalog } from './migrate.js';

interface CommonFlags {
  tenantId?: string;
  projectDir?: string;
}

interface AddFlags extends CommonFlags {
  feedUrl: string;
  format: string;
  name?: string;
  transformer?: string;
  cron?: string;
  encoding?: string;
  delimiter?: string;
  recordPath?: string;
  authHeader?: { name: string; env: string };
  json?: boolean;
}

const print = (text: string): void => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

function parseAuthHeader(value: string): { name: string; env: string } {
  const match = /^([^=\s]+)=([A-Za-z_][A-Za-z0-9_]*)$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected HEADER=ENV_VAR, e.g. Authorization=CAMPING_TRADE_TOKEN (the variable holds the value)');
  return { name: match[1]!, env: match[2]! };
}

function isMissingTable(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if ((current as { code?: unknown }).code === '42P01') return true;
  }
  return false;
}

/**
 * Runs `fn` on the configured catalog for the tenant of the flags. The embedded database is
 * migrated on open, as the worker does; a PostgreSQL server is migrated only by `contextworker migrate`.
 */
async function inCatalog<T>(flags: CommonFlags, fn: (catalog: Catalog, tenantId: string) => Promise<T>): Promise<{ result: T; tenantId: string }> {
  const config = loadConfig({ ...(flags.tenantId ? { tenantId: flags.tenantId } : {}), ...(flags.projectDir ? { projectDir: flags.projectDir } : {}) });
  const result = await withCatalog(config.database, async (catalog) => {
    if (catalog.kind === 'embedded') await migrateCatalog(catalog);
    try {
      return await fn(catalog, config.tenantId);
    } catch (error) {
      if (isMissingTable(error)) throw new Error(`The catalog tables do not exist in ${catalog.location}: run \`contextworker migrate\` first`, { cause: error });
      throw error;
    }
  });
  return { result, tenantId: config.tenantId };
}

export function formatSupplierTable(rows: readonly Supplier[]): string {
  const table = [
    ['ID', 'FORMAT', 'FEED URL', 'TRANSFORMER', 'CRON', 'LAST HARVEST'],
    ...rows.map((s) => [s.id, s.format, s.feedUrl, s.transformer ?? '-', s.harvestCron ?? 'default', s.lastHarvestAt?.toISOString() ?? 'never']),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  return table.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

/** `contextworker suppliers add | list | remove`: the tenant's suppliers in the product store. */
export function registerSuppliersCommand(program: Command): void {
  const suppliers = program.command('suppliers').description('add, list and remove the suppliers whose feeds are harvested');
  const sub = (name: string, description: string): Command =>
    suppliers
      .command(name)
      .description(description)
      .option('--tenant-id <id>', 'tenant (TENANT_ID)')
      .option('--project-dir <dir>', 'project directory (PROJECT_DIR)');

  sub('add', 'add a supplier, or update the one with this id (its options are replaced)')
    .argument('<id>', 'slug such as camping-trade')
    .requiredOption('--feed-url <url>', 'http(s) URL of the feed')
    .requiredOption('--format <format>', 'csv, json, jsonl, xml, yml or google-merchant')
    .option('--name <name>', 'display name (default: the id)')
    .option('--transformer <id>', 'transformer that maps this supplier\'s records')
    .option('--cron <expression>', 'harvest schedule, e.g. "0 */6 * * *" (default: every 6 hours)')
    .option('--encoding <label>', 'feed encoding, e.g. windows-1251 (default: detected)')
    .option('--delimiter <char>', 'CSV delimiter (default: detected)')
    .option('--record-path <path>', 'XML: path of the record elements, e.g. catalog/product')
    .option('--auth-header <HEADER=ENV_VAR>', 'send this header with the value of an environment variable', parseAuthHeader)
    .option('--json', 'print JSON')
    .action(async (id: string, flags: AddFlags) => {
      const options: SupplierOptions = {
        ...(flags.encoding !== undefined ? { encoding: flags.encoding } : {}),
        ...(flags.delimiter !== undefined ? { delimiter: flags.delimiter } : {}),
        ...(flags.recordPath !== undefined ? { recordPath: flags.recordPath } : {}),
        ...(flags.authHeader ? { authHeader: flags.authHeader } : {}),
      };
      const { result, tenantId } = await inCatalog(flags, (catalog, tenant) =>
        upsertSupplier(catalog, tenant, {
          id,
          feedUrl: flags.feedUrl,
          format: flags.format as FeedFormat,
          ...(flags.name !== undefined ? { name: flags.name } : {}),
          ...(flags.transformer !== undefined ? { transformer: flags.transformer } : {}),
          ...(flags.cron !== undefined ? { harvestCron: flags.cron } : {}),
          options,
        }),
      );
      if (flags.json) return print(JSON.stringify(result, null, 2));
      const { supplier } = result;
      print(`${result.created ? 'Added' : 'Updated'} supplier ${supplier.id} (${supplier.format}, ${supplier.feedUrl}) for tenant ${tenantId}.`);
    });

  sub('list', "list the tenant's suppliers")
    .option('--json', 'print JSON')
    .action(async (flags: CommonFlags & { json?: boolean }) => {
      const { result, tenantId } = await inCatalog(flags, (catalog, tenant) => listSuppliers(catalog, tenant));
      print(flags.json ? JSON.stringify(result, null, 2) : result.length === 0 ? `No suppliers for tenant ${tenantId}.` : formatSupplierTable(result));
    });

  sub('remove', 'remove a supplier and its harvest runs; refused while it has products unless --with-products')
    .argument('<id>', 'supplier id')
    .option('--with-products', "also delete the supplier's products")
    .action(async (id: string, flags: CommonFlags & { withProducts?: boolean }) => {
      const { result, tenantId } = await inCatalog(flags, (catalog, tenant) => removeSupplier(catalog, tenant, id, { withProducts: flags.withProducts ?? false }));
      const products = result.removedProducts > 0 ? ` and its ${result.removedProducts} product${result.removedProducts === 1 ? '' : 's'}` : '';
      print(`Removed supplier ${id}${products} from tenant ${tenantId}.`);
    });
}

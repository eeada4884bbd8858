/** One problem with one input field, as reported by the validation of suppliers and products. */
export interface CatalogIssue {
  /** Dotted path of the field, e.g. "feedUrl" or "options.authHeader.env". */
  field: string;
  message: string;
}

const formatIssues = (issues: readonly CatalogIssue[]): string =>
  issues.map((issue) => `  - ${issue.field || '(input)'}: ${issue.message}`).join('\n');

/** Thrown when a supplier definition is invalid; lists every bad field at once. */
export class InvalidSupplierError extends Error {
  override readonly name = 'InvalidSupplierError';
  readonly supplierId: string | undefined;
  readonly issues: readonly CatalogIssue[];

  constructor(supplierId: string | undefined, issues: readonly CatalogIssue[]) {
    const which = supplierId ? `Supplier "${supplierId}"` : 'Supplier';
    super(`${which} is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${formatIssues(issues)}`);
    this.supplierId = supplierId;
    this.issues = issues;
  }
}

/** Thrown when a product of a batch cannot be stored as given (the whole batch is refused, nothing is written). */
export class InvalidProductError extends Error {
  override readonly name = 'InvalidProductError';
  readonly externalId: string | undefined;
  /** 0-based index of the product in the batch. */
  readonly index: number;
  readonly issues: readonly CatalogIssue[];

  constructor(index: number, externalId: string | undefined, issues: readonly CatalogIssue[]) {
    const which = externalId === undefined ? `#${index}` : `"${externalId}" (#${index})`;
    super(`Product ${which} of the batch is invalid:\n${formatIssues(issues)}`);
    this.index = index;
    this.externalId = externalId;
    this.issues = issues;
  }
}

/** Thrown when a tenant has no supplier with the given id. */
export class SupplierNotFoundError extends Error {
  override readonly name = 'SupplierNotFoundError';
  readonly tenantId: string;
  readonly supplierId: string;

  constructor(tenantId: string, supplierId: string) {
    super(`Supplier "${supplierId}" not found for tenant "${tenantId}"`);
    this.tenantId = tenantId;
    this.supplierId = supplierId;
  }
}

/** Thrown when removing a supplier that still has products and `withProducts` was not given. */
export class SupplierHasProductsError extends Error {
  override readonly name = 'SupplierHasProductsError';
  readonly tenantId: string;
  readonly supplierId: string;
  readonly products: number;

  constructor(tenantId: string, supplierId: string, products: number) {
    super(
      `Supplier "${supplierId}" of tenant "${tenantId}" still has ${products} product${products === 1 ? '' : 's'}; ` +
        'remove them too with { withProducts: true } (CLI: --with-products)',
    );
    this.tenantId = tenantId;
    this.supplierId = supplierId;
    this.products = products;
  }
}

/** Thrown when a tenant has no harvest run with the given id (or none of the given supplier). */
export class HarvestRunNotFoundError extends Error {
  override readonly name = 'HarvestRunNotFoundError';
  readonly tenantId: string;
  readonly runId: string;

  constructor(tenantId: string, runId: string, supplierId?: string) {
    super(`Harvest run "${runId}" not found for tenant "${tenantId}"${supplierId ? ` and supplier "${supplierId}"` : ''}`);
    this.tenantId = tenantId;
    this.runId = runId;
  }
}

/** Thrown when products would be written under a dry-run harvest run, which must leave no trace. */
export class DryRunWriteError extends Error {
  override readonly name = 'DryRunWriteError';
  readonly runId: string;

  constructor(tenantId: string, runId: string) {
    super(`Harvest run "${runId}" of tenant "${tenantId}" is a dry run: it cannot store or mark products`);
    this.runId = runId;
  }
}

/** Thrown when another live process holds the embedded database: PGlite serves one process only. */
export class CatalogLockedError extends Error {
  override readonly name = 'CatalogLockedError';
  readonly embeddedDir: string;
  readonly lockFile: string;
  readonly pid: number;

  constructor(embeddedDir: string, lockFile: string, pid: number) {
    super(
      `The embedded database at ${embeddedDir} is in use by process ${pid}; ` +
        'set DATABASE_URL to a PostgreSQL server to run more than one worker ' +
        `(if process ${pid} is not a contextworker, remove ${lockFile})`,
    );
    this.embeddedDir = embeddedDir;
    this.lockFile = lockFile;
    this.pid = pid;
  }
}

/** Thrown when the database cannot be opened or reached; the message never contains a password. */
export class CatalogUnavailableError extends Error {
  override readonly name = 'CatalogUnavailableError';
  /** The database URL with its password masked, or the embedded directory. */
  readonly location: string;

  constructor(location: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Cannot open the catalog database at ${location}: ${reason}`, { cause });
    this.location = location;
  }
}

import {
  SupplierNotFoundError,
  getSupplier,
  recordRunErrors,
  type Catalog,
  type HarvestRowError,
  type Supplier,
} from '@contextworker/catalog';
import { permanentFailure } from './failures.js';

export type SupplierRow = Supplier;

// One catalog per worker process, shared with every other module (see @contextworker/catalog).
export { sharedCatalog as catalogResource } from '@contextworker/catalog';

/** The catalog calls the harvest activities make, with activity-friendly failures. */
export class CatalogAccess {
  constructor(readonly open: () => Promise<Catalog>) {}

  async getSupplier(tenantId: string, supplierId: string): Promise<SupplierRow> {
    try {
      return await getSupplier(await this.open(), tenantId, supplierId);
    } catch (error) {
      if (error instanceof SupplierNotFoundError) throw permanentFailure('SupplierNotFound', error);
      throw error;
    }
  }

  async recordRowErrors(tenantId: string, harvestRunId: string, errors: HarvestRowError[], counts: { invalid: number }): Promise<void> {
    await recordRunErrors(await this.open(), tenantId, harvestRunId, { errors, invalid: counts.invalid });
  }
}

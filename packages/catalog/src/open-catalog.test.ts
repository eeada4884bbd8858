import { describe, expect, it } from 'vitest';
import { CatalogUnavailableError } from './errors.js';
import { openCatalog } from './open-catalog.js';

describe('openCatalog', () => {
  it('fails fast on an unreachable PostgreSQL, naming it with the password masked', async () => {
    const error = await openCatalog({ url: 'postgres://shop:hunter2@127.0.0.1:1/shop', embeddedDir: '/unused' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CatalogUnavailableError);
    expect((error as Error).message).toMatch(/^Cannot open the catalog database at postgres:\/\/shop:\*\*\*@127\.0\.0\.1:1\/shop: /);
    expect(String((error as Error).message)).not.toContain('hunter2');
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });
});

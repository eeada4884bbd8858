import { describe, expect, it } from 'vitest';
import { InvalidProductError } from './errors.js';
import { prepareProductBatch, productContentHash, type ProductInput } from './product-input.js';

const fields = { externalId: 'A-1', name: 'Tent', price: '10.00', currency: 'EUR', attributes: { size: 'L', colour: 'red' } };
const input = (overrides: Partial<ProductInput> = {}): ProductInput => ({ ...fields, contentHash: 'h', ...overrides });

describe('productContentHash', () => {
  it('is a SHA-256 hex that ignores attribute order, absent-vs-null and the external id', () => {
    const hash = productContentHash(fields);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(productContentHash({ ...fields, attributes: { colour: 'red', size: 'L' } })).toBe(hash);
    expect(productContentHash({ ...fields, description: null, images: [] })).toBe(hash);
    expect(productContentHash({ ...fields, externalId: 'other' })).toBe(hash);
  });

  it('changes with any content field', () => {
    const hash = productContentHash(fields);
    for (const change of [{ name: 'Tent!' }, { price: '10.01' }, { stock: 0 }, { available: false }, { images: ['x'] }, { attributes: { size: 'M' } }])
      expect(productContentHash({ ...fields, ...change })).not.toBe(hash);
  });
});

describe('prepareProductBatch', () => {
  it('keeps the last of repeated external ids and counts the others', () => {
    const batch = prepareProductBatch([input({ name: 'one' }), input({ externalId: 'B' }), input({ name: 'two' })]);
    expect(batch).toMatchObject({ size: 2, duplicates: 1 });
    expect(batch.columns.externalId).toEqual(['A-1', 'B']);
    expect(batch.columns.name).toEqual(['two', 'Tent']);
  });

  it('turns values into text columns, deriving availability from stock when the feed does not say', () => {
    const { columns } = prepareProductBatch([input({ stock: 0 }), input({ externalId: 'B', stock: 3 }), input({ externalId: 'C' }), input({ externalId: 'D', stock: 0, available: true })]);
    expect(columns.available).toEqual(['false', 'true', 'true', 'true']);
    expect(columns.stock).toEqual(['0', '3', null, '0']);
    expect(columns.attributes[0]).toBe('{"size":"L","colour":"red"}');
    expect(columns.images[0]).toBe('[]');
    const empty = prepareProductBatch([input({ attributes: {}, images: [] }), input({ externalId: 'B', attributes: undefined, images: ['a.jpg'] })]).columns;
    expect([empty.attributes, empty.images]).toEqual([['{}', '{}'], ['[]', '["a.jpg"]']]);
  });

  it.each([
    [{ price: '1,50' }, 'price'],
    [{ price: '12345678901.00' }, 'price'],
    [{ currency: 'euro' }, 'currency'],
    [{ stock: 1.5 }, 'stock'],
    [{ name: '' }, 'name'],
    [{ externalId: '  ' }, 'externalId'],
    [{ description: 'nul\u0000byte' }, 'description'],
    [{ contentHash: '' }, 'contentHash'],
    [{ images: 'x' as never }, 'images'],
  ])('refuses %j, naming the field and the product', (overrides, field) => {
    const error = (() => {
      try {
        prepareProductBatch([input({ externalId: 'ok' }), input(overrides)]);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidProductError);
    expect((error as InvalidProductError).index).toBe(1);
    expect((error as InvalidProductError).issues.map((issue) => issue.field)).toContain(field);
  });

  it('refuses NUL characters inside attributes', () => {
    expect(() => prepareProductBatch([input({ attributes: { a: 'b\u0000' } })])).toThrow(/attributes: must not contain NUL/);
  });
});

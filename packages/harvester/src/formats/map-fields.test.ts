import { describe, expect, it } from 'vitest';
import { createFieldMapper, createRowMapper, normalizeKey, splitImageList } from './map-fields.js';

describe('normalizeKey', () => {
  it.each([
    ['Product ID', 'product_id'],
    ['productId', 'product_id'],
    ['compare-at-price', 'compare_at_price'],
    ['compareAtPrice', 'compare_at_price'],
    [' SKU ', 'sku'],
    ['@id', 'id'],
    ['price/@currency', 'price_currency'],
    ['Старая цена', 'старая_цена'],
  ])('%j -> %j', (raw, normalized) => {
    expect(normalizeKey(raw)).toBe(normalized);
  });
});

describe('splitImageList', () => {
  it('splits on pipes, or on separators before URLs only', () => {
    expect(splitImageList('a.jpg|b.jpg| ')).toEqual(['a.jpg', 'b.jpg']);
    expect(splitImageList('https://x/a.jpg, https://x/b,c.jpg')).toEqual(['https://x/a.jpg', 'https://x/b,c.jpg']);
    expect(splitImageList('https://x/a.jpg //x/b.jpg')).toEqual(['https://x/a.jpg', '//x/b.jpg']);
  });
});

describe('createFieldMapper', () => {
  it('maps common names without configuration and keeps the rest as attributes', () => {
    const map = createFieldMapper();
    const draft = map([
      ['Article', 'A-1'],
      ['Product Name', 'Tent'],
      ['Compare At Price', '10'],
      ['QTY', '3'],
      ['In Stock', 'yes'],
      ['Image URL', 'https://x/1.jpg'],
      ['image_2', 'https://x/2.jpg'],
      ['EAN', '123'],
      ['Manufacturer', 'Acme'],
      ['Color', 'red'],
      ['Empty', '  '],
    ]);
    expect(draft).toEqual({
      externalId: 'A-1',
      name: 'Tent',
      oldPrice: '10',
      stock: '3',
      available: 'yes',
      images: ['https://x/1.jpg', 'https://x/2.jpg'],
      barcode: '123',
      vendor: 'Acme',
      attributes: { Color: 'red' },
    });
  });

  it('prefers the earlier alias whatever the column order', () => {
    const map = createFieldMapper();
    expect(map([['id', '17'], ['sku', 'S-17'], ['title', 'T']])).toMatchObject({ externalId: 'S-17', attributes: { id: '17' } });
    expect(map([['sku', 'S-17'], ['id', '17']])).toMatchObject({ externalId: 'S-17', attributes: { id: '17' } });
  });

  it('lets an explicit mapping override aliases', () => {
    const map = createFieldMapper({ externalId: 'Код товара', price: 'Retail Price (EUR)' });
    const draft = map([
      ['sku', 'ignored-as-id'],
      ['Код товара', 'K-1'],
      ['retail price (eur)', '9.99'],
      ['price', '1.00'],
    ]);
    expect(draft).toMatchObject({ externalId: 'K-1', price: '9.99', attributes: { sku: 'ignored-as-id', price: '1.00' } });
  });

  it('keeps the first of repeated values and collects every image', () => {
    const map = createFieldMapper();
    const draft = map([
      ['@id', '5'],
      ['barcode', '111'],
      ['barcode', '222'],
      ['images/image', 'https://x/1.jpg'],
      ['images/image', 'https://x/2.jpg'],
      ['price/@currency', 'USD'],
    ]);
    expect(draft).toMatchObject({
      externalId: '5',
      barcode: '111',
      currency: 'USD',
      images: ['https://x/1.jpg', 'https://x/2.jpg'],
      attributes: { barcode: '222' },
    });
  });
});

describe('createRowMapper', () => {
  // Two headers: one where columns compete for a field (SKU and ID, brand and Vendor), one where none does.
  it.each([
    [['SKU', 'ID', 'Title', 'Image 1', 'image_2', 'Price', 'Colour', 'Colour', 'brand', 'Vendor']],
    [['SKU', ' Notes ', 'Title', 'Image 1', 'image_2', 'Price', 'Colour', 'Colour', 'brand', 'Size']],
  ])('maps rows exactly as the entry mapper maps the same (header, value) pairs: %j', (header) => {
    const rows = [
      ['A-1', '77', ' Tent ', 'https://i.example/1.jpg', 'https://i.example/2.jpg|https://i.example/3.jpg', '10', 'red', 'blue', 'Acme', 'Other'],
      ['', '78', 'Mat', '', '', '', '', 'green', '', 'Acme'],
      ['A-3', '79'],
    ];
    for (const mapping of [{}, { externalId: 'id', vendor: 'Vendor' }, { name: 'Notes' }]) {
      const byEntries = createFieldMapper(mapping);
      const byRow = createRowMapper(header, mapping);
      for (const row of rows) {
        expect(byRow(row)).toEqual(byEntries(header.map((name, i) => [name, row[i] ?? ''] as const)));
      }
    }
  });
});

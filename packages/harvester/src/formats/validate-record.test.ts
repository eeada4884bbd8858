import { describe, expect, it } from 'vitest';
import type { ParsedItem, RecordDraft } from './feed-record.js';
import { FIELD_LIMITS, validateRecord } from './validate-record.js';

const position = { line: 7, record: 3 };

function draft(fields: Partial<RecordDraft>): RecordDraft {
  return { externalId: 'SKU-1', name: 'Tent', images: [], attributes: {}, ...fields };
}

function reasonOf(item: ParsedItem): string {
  if (item.ok) throw new Error(`expected an invalid record, got ${JSON.stringify(item.record)}`);
  return item.reason;
}

describe('validateRecord', () => {
  it('normalizes a full record', () => {
    const item = validateRecord(
      draft({
        externalId: '  SKU-1 ',
        description: 'Two-person tent',
        vendor: 'Acme',
        price: '1 299,50',
        oldPrice: '1500',
        currency: 'rub',
        stock: '12',
        available: 'In Stock',
        url: '//shop.example/tent',
        images: ['https://cdn.example/1.jpg', ' https://cdn.example/1.jpg', 'https://cdn.example/2.jpg'],
        barcode: '4600000000001',
        attributes: { Color: 'green' },
      }),
      position,
    );
    expect(item).toEqual({
      ok: true,
      position,
      record: {
        externalId: 'SKU-1',
        name: 'Tent',
        description: 'Two-person tent',
        vendor: 'Acme',
        price: '1299.50',
        oldPrice: '1500.00',
        currency: 'RUB',
        stock: 12,
        available: true,
        url: 'https://shop.example/tent',
        images: ['https://cdn.example/1.jpg', 'https://cdn.example/2.jpg'],
        barcode: '4600000000001',
        attributes: { Color: 'green' },
      },
    });
  });

  it('requires externalId and name, reporting both at once', () => {
    const item = validateRecord(draft({ externalId: ' ', name: undefined }), position);
    expect(reasonOf(item)).toBe('externalId is required; name is required');
    expect(item).toMatchObject({ ok: false, position });
    expect(item).not.toHaveProperty('externalId');
  });

  it.each(['abc', 'NaN', '-5', '1e400', '1000000000'])('rejects price %j with a reason and keeps the id', (price) => {
    const item = validateRecord(draft({ price }), position);
    expect(reasonOf(item)).toMatch(new RegExp(`^price "${price}" `));
    expect(item).toMatchObject({ externalId: 'SKU-1' });
  });

  it('takes the currency from the price text, and refuses disagreeing currencies', () => {
    const fromPrice = validateRecord(draft({ price: '19.99 USD' }), position);
    expect(fromPrice).toMatchObject({ ok: true, record: { price: '19.99', currency: 'USD' } });
    expect(reasonOf(validateRecord(draft({ price: '19.99 USD', currency: 'EUR' }), position))).toBe(
      'price currencies disagree: EUR vs USD',
    );
  });

  it('rejects a 10 MB field without storing it', () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const item = validateRecord(draft({ description: huge }), position);
    const reason = reasonOf(item);
    expect(reason).toBe(`description is ${huge.length} characters long (limit ${FIELD_LIMITS.description})`);
    expect(reason.length).toBeLessThan(200);
  });

  it('truncates an overlong external id in the report', () => {
    const item = validateRecord(draft({ externalId: 'A'.repeat(300) }), position);
    expect(reasonOf(item)).toMatch(/^externalId is 300 characters long/);
    expect(item).toMatchObject({ externalId: 'A'.repeat(255) });
  });

  it('flags text decoded from invalid bytes', () => {
    const item = validateRecord(draft({ name: 'Pal\uFFFDtka' }), position);
    expect(reasonOf(item)).toMatch(/^name contains bytes that are not valid in the feed's encoding/);
  });

  it('rejects NUL characters, which PostgreSQL cannot store', () => {
    expect(reasonOf(validateRecord(draft({ vendor: 'Ac\u0000me' }), position))).toBe('vendor contains a NUL character');
  });

  it('accepts only http(s) URLs', () => {
    expect(reasonOf(validateRecord(draft({ url: 'javascript:alert(1)' }), position))).toMatch(/^url .* is not an http\(s\) URL/);
    expect(reasonOf(validateRecord(draft({ images: ['/relative.jpg'] }), position))).toMatch(/^images\[0\] .* not an absolute URL/);
  });

  it('checks stock and availability values', () => {
    expect(validateRecord(draft({ stock: '5.0', available: 'нет' }), position)).toMatchObject({
      ok: true,
      record: { stock: 5, available: false },
    });
    expect(reasonOf(validateRecord(draft({ stock: '-1' }), position))).toBe('stock "-1" is negative');
    expect(reasonOf(validateRecord(draft({ stock: '2.5' }), position))).toBe('stock "2.5" is not a whole number');
    expect(reasonOf(validateRecord(draft({ available: 'maybe' }), position))).toBe('available "maybe" is not a yes/no value');
    expect(reasonOf(validateRecord(draft({ available: 'constructor' }), position))).toMatch(/not a yes\/no value/);
  });

  it('caps attributes', () => {
    const attributes = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`a${i}`, 'v']));
    expect(reasonOf(validateRecord(draft({ attributes }), position))).toBe('attributes has 501 entries (limit 500)');
    const long = validateRecord(draft({ attributes: { Notes: 'n'.repeat(20_000) } }), position);
    expect(reasonOf(long)).toBe('attributes.Notes is 20000 characters long (limit 10000)');
  });

  it('refuses an attribute named __proto__ instead of losing it', () => {
    const attributes = Object.create(null) as Record<string, string>;
    attributes['__proto__'] = 'x';
    expect(reasonOf(validateRecord(draft({ attributes }), position))).toBe('attributes has the reserved name "__proto__"');
  });

  it('treats empty optional values as absent', () => {
    const item = validateRecord(draft({ price: ' ', currency: '', url: '' }), position);
    expect(item).toEqual({ ok: true, position, record: { externalId: 'SKU-1', name: 'Tent', images: [], attributes: {} } });
  });
});

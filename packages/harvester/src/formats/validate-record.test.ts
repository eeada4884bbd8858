import { describe, expect, it } from 'vitest';
import type { ParsedItem, RecordDraft } from './feed-record.js';
import { FIELD_LIMITS, feedRecordSchema, validateRecord } from './validate-record.js';

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

  it('accepts only records the schema accepts, with the schema\'s output shape', () => {
    // A seeded mix of good and hostile values: the fast checks must never let through
    // a record that feedRecordSchema would refuse, and must build what it would return.
    let seed = 42;
    const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const pick = <T,>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
    const good = ['Tent', ' padded ', 'x'.repeat(255), '1', 'нет', 'constructor', ''];
    const texts = [...good, ' ', 'Pal\uFFFDtka', 'Ac\u0000me', 'x'.repeat(256), 'y'.repeat(1_001), '__proto__'];
    const prices = ['19.99', '1 299,50 ₽', '0', '999999999.9999', 'USD 5', '-1', '1e5', '1000000000', '1,299'];
    const urls = ['https://shop.example/a', '//cdn.example/b.jpg', 'https://a.example/\uFFFD', '/relative', 'javascript:x',
      `https://a.example/${'p'.repeat(2_050)}`];
    // Mostly absent or good values (the first few of each list), sometimes a hostile one.
    const maybe = <T,>(values: readonly T[], goodCount = 3): T | undefined => {
      const r = random();
      if (r < 0.5) return undefined;
      return r < 0.95 ? values[Math.floor(random() * goodCount)] : pick(values);
    };
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 3_000; i++) {
      const attributes = Object.create(null) as Record<string, string>;
      for (let a = Math.floor(random() * 3); a > 0; a--) attributes[maybe([...texts, 'k'.repeat(256)], 5) ?? 'Color'] = maybe([...texts, 'v'.repeat(10_001)], 5) ?? 'green';
      if (random() < 0.01) for (let a = 0; a < 501; a++) attributes[`a${a}`] = 'v';
      const images = Array.from({ length: random() < 0.02 ? 101 : Math.floor(random() * 3) }, (_, n) => maybe(urls, 2) ?? `https://i.example/${n}`);
      const item = validateRecord(
        {
          externalId: random() < 0.9 ? 'SKU-1' : maybe(texts),
          name: random() < 0.9 ? 'Tent' : maybe(texts),
          description: maybe([...texts, 'd'.repeat(100_001)], 5),
          vendor: maybe(texts, 5),
          category: maybe(texts, 5),
          categoryId: maybe(texts, 5),
          price: maybe(prices, 5),
          oldPrice: maybe(prices, 5),
          currency: maybe(['EUR', 'rub', '₽', 'XYZ', '']),
          stock: maybe(['5', '5.0', '-1', '2.5', '999999999', '1000000000']),
          available: maybe(['yes', 'нет', 'maybe']),
          url: maybe(urls, 3),
          images,
          barcode: maybe(texts, 5),
          attributes,
        },
        position,
      );
      if (!item.ok) {
        refused++;
        continue;
      }
      accepted++;
      const parsed = feedRecordSchema.safeParse(item.record);
      expect(parsed.success).toBe(true);
      expect(JSON.stringify(item.record)).toBe(JSON.stringify(parsed.data));
      expect(Object.getPrototypeOf(item.record.attributes)).toBe(Object.prototype);
    }
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });
});

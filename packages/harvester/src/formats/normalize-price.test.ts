import { describe, expect, it } from 'vitest';
import { normalizeCurrency, normalizePrice } from './normalize-price.js';

describe('normalizePrice', () => {
  it.each([
    ['19.99', '19.99'],
    ['5', '5.00'],
    ['19.9', '19.90'],
    ['0.1234', '0.1234'],
    ['0.12340', '0.1234'],
    ['007.50', '7.50'],
    ['1 299,50', '1299.50'],
    ['1\u00a0299,50', '1299.50'],
    ['1299,5', '1299.50'],
    ['1,299.50', '1299.50'],
    ['1.299,50', '1299.50'],
    ['1,299,000', '1299000.00'],
    ['1.299.000', '1299000.00'],
    ["1'299.50", '1299.50'],
    ['+12', '12.00'],
    ['0', '0.00'],
    ['999999999.9999', '999999999.9999'],
  ])('normalizes %j to %s', (raw, amount) => {
    expect(normalizePrice(raw)).toEqual({ ok: true, amount });
  });

  it.each([
    ['1299.50 RUB', '1299.50', 'RUB'],
    ['19.99 usd', '19.99', 'USD'],
    ['USD 19.99', '19.99', 'USD'],
    ['1 299 ₽', '1299.00', 'RUB'],
    ['1299 руб.', '1299.00', 'RUB'],
    ['€ 5,50', '5.50', 'EUR'],
    ['100 RUR', '100.00', 'RUB'],
  ])('splits %j into amount and currency', (raw, amount, currency) => {
    expect(normalizePrice(raw)).toEqual({ ok: true, amount, currency });
  });

  it.each([
    ['abc', /not a decimal number/],
    ['NaN', /not a decimal number/],
    ['Infinity', /not a decimal number/],
    ['-5', /negative/],
    ['- 5', /negative/],
    ['1e400', /not a decimal number/],
    ['1E5', /not a decimal number/],
    ['1000000000', /implausibly large/],
    ['1.23456', /5 fractional digits/],
    ['1,299', /ambiguous/],
    ['1 2', /not a decimal number/],
    ['12,34,5', /not a decimal number/],
    ['$19.99', /several currencies/],
    ['19.99 XYZ', /unknown currency "XYZ"/],
    ['.', /not a decimal number/],
    ['9'.repeat(100), /too long/],
  ])('rejects %j', (raw, reason) => {
    const result = normalizePrice(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('normalizeCurrency', () => {
  it('upper-cases ISO codes and maps unambiguous symbols', () => {
    expect(normalizeCurrency(' usd ')).toEqual({ ok: true, code: 'USD' });
    expect(normalizeCurrency('RUR')).toEqual({ ok: true, code: 'RUB' });
    expect(normalizeCurrency('₽')).toEqual({ ok: true, code: 'RUB' });
  });

  it('rejects what is not an ISO 4217 code', () => {
    expect(normalizeCurrency('dollars').ok).toBe(false);
    expect(normalizeCurrency('ABC').ok).toBe(false);
    expect(normalizeCurrency('$').ok).toBe(false);
  });
});

describe('normalizePrice on plain decimals', () => {
  it('canonicalizes every plain amount as the regex formula did', () => {
    const plain = /^(\d{1,9})(?:\.(\d{1,4}))?$/;
    const samples = ['0', '00', '000.000', '0.0', '0.5', '1.', '.5', '1.00000', '0001.1000', '123456789', '1234567890', '12.3456',
      '12.34567', '1.2.3', '1e5', ' 1', '1 ', '١٢', '9.90', '010.010', '999999999.9999', '-1', '+1', '1,5'];
    for (let i = 0; i < 300; i++) samples.push(`${'0'.repeat(i % 3)}${(i * 7919) % 100_000}.${String(i % 10_000).padStart(i % 5, '0')}`);
    for (const raw of samples) {
      const match = plain.exec(raw);
      if (match?.[1] === undefined) continue;
      const amount = `${match[1].replace(/^0+(?=\d)/, '')}.${(match[2] ?? '').replace(/0+$/, '').padEnd(2, '0')}`;
      expect([raw, normalizePrice(raw)]).toEqual([raw, { ok: true, amount }]);
    }
    expect(normalizePrice('1.')).toEqual(expect.objectContaining({ ok: true }));
  });
});

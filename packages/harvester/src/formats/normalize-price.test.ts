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

/**
 * Price and currency normalization. Amounts stay decimal strings end to end: a float
 * would turn 0.1 + 0.2 into 0.30000000000000004 and 1e400 into Infinity.
 */

export type PriceResult = { ok: true; amount: string; currency?: string } | { ok: false; reason: string };
export type CurrencyResult = { ok: true; code: string } | { ok: false; reason: string };

/** Amounts must stay below this; anything larger is a data error, not a price. */
export const PRICE_LIMIT_DIGITS = 9;
export const MAX_FRACTION_DIGITS = 4;

// Symbols and words that name exactly one currency. "$" is deliberately absent (USD, CAD, AUD, ...).
const CURRENCY_WORDS: Record<string, string> = {
  '₽': 'RUB',
  'РУБ': 'RUB',
  'РУБ.': 'RUB',
  'Р.': 'RUB',
  '€': 'EUR',
  '£': 'GBP',
  '₴': 'UAH',
  'ГРН': 'UAH',
  'ГРН.': 'UAH',
  '₸': 'KZT',
  // Yandex Market still uses the pre-1998 code.
  RUR: 'RUB',
};

// Active ISO 4217 codes; a three-letter word outside this list is a typo or not a currency.
const ISO_4217 = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD ' +
    'CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP ' +
    'GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD ' +
    'KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK ' +
    'NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS ' +
    'SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF ' +
    'XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL'
  ).split(' '),
);

// Whatever does not separate the fraction may group thousands ("1.299.000" has no fraction).
const GROUPING = {
  ',': /[\s\u00a0\u202f\u2009'.]/,
  '.': /[\s\u00a0\u202f\u2009',]/,
  none: /[\s\u00a0\u202f\u2009',.]/,
} as const;
const CURRENCY_SUFFIX = /^(.*?\d)\s*([A-Za-z]{3}|₽|€|£|₴|₸|руб\.?|р\.|грн\.?)$/i;
const CURRENCY_PREFIX = /^([A-Za-z]{3}|€|£|₴|₸)\s*([-+]?\d.*)$/i;

// A feed names the same few currencies on every record.
const currencyCache = new Map<string, CurrencyResult>();

export function normalizeCurrency(raw: string): CurrencyResult {
  const cached = currencyCache.get(raw);
  if (cached !== undefined) return cached;
  const upper = raw.trim().toUpperCase();
  const code = Object.hasOwn(CURRENCY_WORDS, upper) ? (CURRENCY_WORDS[upper] ?? upper) : upper;
  const result: CurrencyResult = Object.freeze(
    ISO_4217.has(code) ? { ok: true, code } : { ok: false, reason: `"${raw.slice(0, 40)}" is not an ISO 4217 currency code` },
  );
  if (currencyCache.size < 1_000 && raw.length <= 16) currencyCache.set(raw, result);
  return result;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** `^(\d{1,9})(?:\.(\d{1,4}))?$` without a regex: "1299.5" -> "1299.50"; undefined for any other text. */
function plainAmount(raw: string): string | undefined {
  const length = raw.length;
  let i = 0;
  while (i < length && isDigit(raw.charCodeAt(i))) i++;
  if (i === 0 || i > PRICE_LIMIT_DIGITS) return undefined;
  const intEnd = i;
  let fraction = '';
  if (i < length) {
    if (raw.charCodeAt(i) !== 46) return undefined;
    const start = ++i;
    while (i < length && isDigit(raw.charCodeAt(i))) i++;
    if (i !== length || i === start || i - start > MAX_FRACTION_DIGITS) return undefined;
    let end = length;
    while (end > start && raw.charCodeAt(end - 1) === 48) end--;
    fraction = raw.slice(start, end);
  }
  let intStart = 0;
  while (intStart < intEnd - 1 && raw.charCodeAt(intStart) === 48) intStart++;
  return `${raw.slice(intStart, intEnd)}.${fraction.padEnd(2, '0')}`;
}

function splitCurrency(text: string): { number: string; currency?: string } {
  const suffix = CURRENCY_SUFFIX.exec(text);
  if (suffix?.[1] !== undefined && suffix[2] !== undefined) return { number: suffix[1], currency: suffix[2] };
  const prefix = CURRENCY_PREFIX.exec(text);
  if (prefix?.[1] !== undefined && prefix[2] !== undefined) return { number: prefix[2], currency: prefix[1] };
  return { number: text };
}

/** Which of "," and "." separates the fraction, or a reason why that cannot be told. */
function decimalSeparator(text: string): { separator?: ',' | '.'; reason?: string } {
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) return { separator: lastDot > lastComma ? '.' : ',' };
  if (lastComma >= 0) {
    if (text.indexOf(',') !== lastComma) return {}; // "1,299,000": commas group thousands
    const after = text.length - lastComma - 1;
    // "1,299" is a thousand in one locale and one-point-something in another.
    if (after === 3) return { reason: 'is ambiguous: "," could separate thousands or decimals' };
    return { separator: ',' };
  }
  if (lastDot >= 0) return text.indexOf('.') === lastDot ? { separator: '.' } : {};
  return {};
}

function validGrouping(intPart: string, groupChars: RegExp): boolean {
  const groups = intPart.split(groupChars);
  if (groups.length === 1) return true;
  return groups.every((group, i) => (i === 0 ? /^\d{1,3}$/.test(group) : /^\d{3}$/.test(group)));
}

/**
 * Normalizes a supplier's price text to a canonical decimal string ("1299.50").
 * Accepts thousands separators and a decimal comma where unambiguous, and a currency
 * code or symbol beside the amount ("1 299,50 ₽", "USD 19.99"). Rejects negatives,
 * exponents, NaN/Infinity, more than four fractional digits and absurd amounts.
 */
export function normalizePrice(raw: string): PriceResult {
  const shown = raw.length > 40 ? `${raw.slice(0, 40)}...` : raw;
  const fail = (why: string): PriceResult => ({ ok: false, reason: `"${shown}" ${why}` });
  if (raw.length > 64) return fail('is too long to be a price');
  // Most feeds already write "1299.5"; skip the locale handling for them.
  const plain = plainAmount(raw);
  if (plain !== undefined) return { ok: true, amount: plain };
  const { number, currency } = splitCurrency(raw.trim());
  let text = number.trim();
  if (text.startsWith('$')) return fail('uses "$", which names several currencies; give an ISO code');
  if (text.startsWith('-')) return /\d/.test(text) ? fail('is negative') : fail('is not a decimal number');
  if (text.startsWith('+')) text = text.slice(1);
  if (!/^[\d.,\s\u00a0\u202f\u2009']+$/.test(text) || !/\d/.test(text)) return fail('is not a decimal number');

  const { separator, reason } = decimalSeparator(text);
  if (reason !== undefined) return fail(reason);
  const cut = separator === undefined ? -1 : text.lastIndexOf(separator);
  const intRaw = cut < 0 ? text : text.slice(0, cut);
  const fraction = cut < 0 ? '' : text.slice(cut + 1);
  const groupChars = GROUPING[separator ?? 'none'];
  if (!/^\d*$/.test(fraction) || !validGrouping(intRaw, groupChars)) return fail('is not a decimal number');
  const digits = intRaw.split(groupChars).join('');
  if (!/^\d*$/.test(digits) || (digits === '' && fraction === '')) return fail('is not a decimal number');
  // Trailing zeros carry no value: "0.12340" has four significant fractional digits.
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > MAX_FRACTION_DIGITS) {
    return fail(`has ${significant.length} fractional digits (at most ${MAX_FRACTION_DIGITS} allowed)`);
  }
  const integer = digits.replace(/^0+(?=\d)/, '') || '0';
  if (integer.length > PRICE_LIMIT_DIGITS) return fail('is implausibly large (limit 999999999.9999)');

  const canonicalFraction = significant.padEnd(2, '0');
  if (currency === undefined) return { ok: true, amount: `${integer}.${canonicalFraction}` };
  const code = normalizeCurrency(currency);
  if (!code.ok) return fail(`names an unknown currency "${currency}"`);
  return { ok: true, amount: `${integer}.${canonicalFraction}`, currency: code.code };
}

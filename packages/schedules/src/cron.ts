import { InvalidCronError } from './errors.js';

/** The matching values of each field of a cron expression, sorted (day-of-week: 0 = Sunday). */
export interface CronFields {
  minute: number[];
  hour: number[];
  dayOfMonth: number[];
  month: number[];
  dayOfWeek: number[];
}

export type CronFieldName = keyof CronFields;

interface FieldRule {
  key: CronFieldName;
  label: string;
  min: number;
  max: number;
  names?: readonly string[];
  nameKind?: string;
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

/** Field order, bounds and names of a 5-field expression. */
export const CRON_FIELDS: readonly FieldRule[] = [
  { key: 'minute', label: 'minute', min: 0, max: 59 },
  { key: 'hour', label: 'hour', min: 0, max: 23 },
  { key: 'dayOfMonth', label: 'day-of-month', min: 1, max: 31 },
  { key: 'month', label: 'month', min: 1, max: 12, names: MONTH_NAMES, nameKind: 'a month name (JAN-DEC)' },
  // 7 is Sunday too, as in most crons and in Temporal.
  { key: 'dayOfWeek', label: 'day-of-week', min: 0, max: 7, names: DAY_NAMES, nameKind: 'a day name (SUN-SAT)' },
];

/** Shorthands Temporal accepts in place of the five fields. */
export const CRON_SHORTHANDS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@hourly': '0 * * * *',
};

class FieldError extends Error {}

function parseValue(token: string, rule: FieldRule, field: string): number {
  if (/^\d+$/.test(token)) {
    const value = Number(token);
    if (value < rule.min || value > rule.max) {
      const where = token === field ? '' : ` has ${token}, which`;
      throw new FieldError(`${rule.label} field "${field}"${where} is out of range ${rule.min}-${rule.max}`);
    }
    return value;
  }
  const index = rule.names?.indexOf(token.toUpperCase() as never) ?? -1;
  if (index >= 0) return rule.key === 'month' ? index + 1 : index;
  const expected = rule.nameKind ? `a number or ${rule.nameKind}` : 'a number';
  throw new FieldError(`${rule.label} field "${field}": "${token}" is not ${expected}`);
}

function parseItem(item: string, rule: FieldRule, field: string): number[] {
  if (item === '') throw new FieldError(`${rule.label} field "${field}" has an empty list item`);
  const parts = item.split('/');
  if (parts.length > 2) throw new FieldError(`${rule.label} field "${field}": "${item}" has more than one step`);
  const [base = '', stepText] = parts;
  let step = 1;
  if (stepText !== undefined) {
    step = /^\d+$/.test(stepText) ? Number(stepText) : 0;
    if (step < 1) throw new FieldError(`${rule.label} field "${field}": step "${stepText}" must be a positive integer`);
  }
  let start: number;
  let end: number;
  if (base === '*') {
    start = rule.min;
    // `*` in day-of-week means 0-6; 7 would only repeat Sunday.
    end = rule.key === 'dayOfWeek' ? 6 : rule.max;
  } else if (base.includes('-')) {
    const [from = '', to = '', extra] = base.split('-');
    if (extra !== undefined || from === '' || to === '') throw new FieldError(`${rule.label} field "${field}": "${base}" is not a range`);
    start = parseValue(from, rule, field);
    end = parseValue(to, rule, field);
    if (end < start) throw new FieldError(`${rule.label} field "${field}": range "${base}" ends before it starts`);
  } else {
    start = parseValue(base, rule, field);
    // `5/15` means from 5 to the end of the field, every 15.
    end = stepText === undefined ? start : rule.max;
  }
  const values: number[] = [];
  for (let value = start; value <= end; value += step) values.push(value);
  return values;
}

function parseField(field: string, rule: FieldRule): number[] {
  const values = new Set<number>();
  for (const item of field.split(',')) {
    for (const value of parseItem(item, rule, field)) values.add(rule.key === 'dayOfWeek' && value === 7 ? 0 : value);
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * Parses a 5-field cron expression (minute hour day-of-month month day-of-week) with ranges, steps,
 * lists, month and day names, or one of `@yearly @monthly @weekly @daily @hourly`.
 *
 * @throws {InvalidCronError} naming the bad field.
 */
export function parseCron(expression: string, options: { scheduleId?: string } = {}): CronFields {
  const trimmed = expression.trim();
  const expanded = CRON_SHORTHANDS[trimmed.toLowerCase()] ?? trimmed;
  const fields = expanded.split(/\s+/).filter((part) => part !== '');
  const context = options.scheduleId ? { scheduleId: options.scheduleId } : {};
  if (fields.length !== CRON_FIELDS.length) {
    const reason = `expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
    throw new InvalidCronError(expression, reason, context);
  }
  const result: Partial<CronFields> = {};
  CRON_FIELDS.forEach((rule, index) => {
    try {
      result[rule.key] = parseField(fields[index] ?? '', rule);
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      throw new InvalidCronError(expression, error.message, { ...context, field: rule.label });
    }
  });
  return result as CronFields;
}

/** True when `expression` is a valid cron expression (see {@link parseCron}). */
export function isValidCron(expression: string): boolean {
  try {
    parseCron(expression);
    return true;
  } catch {
    return false;
  }
}

import type { CalendarSpecDescription, Range, ScheduleSpec, ScheduleSpecDescription } from '@temporalio/client';
import { CRON_FIELDS, type CronFieldName, type CronFields } from './cron.js';
import { InvalidIntervalError } from './errors.js';

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
const INTERVAL = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/**
 * Parses an interval such as `30s`, `15m`, `6h`, `1d` or `1h30m` into milliseconds.
 *
 * @throws {InvalidIntervalError} for anything else, or for zero.
 */
export function parseInterval(interval: string, options: { scheduleId?: string } = {}): number {
  const match = INTERVAL.exec(interval.trim().toLowerCase());
  if (!match || interval.trim() === '') {
    throw new InvalidIntervalError(interval, 'expected a duration like 30s, 15m, 6h, 1d or 1h30m', options);
  }
  const [, days, hours, minutes, seconds] = match;
  const ms =
    Number(days ?? 0) * UNIT_MS.d + Number(hours ?? 0) * UNIT_MS.h + Number(minutes ?? 0) * UNIT_MS.m + Number(seconds ?? 0) * UNIT_MS.s;
  if (ms <= 0) throw new InvalidIntervalError(interval, 'must be longer than zero', options);
  return ms;
}

/** Formats milliseconds the way {@link parseInterval} reads them (`900000` -> `15m`). */
export function formatInterval(ms: number): string {
  let rest = Math.round(ms / 1000) * 1000;
  let text = '';
  for (const [unit, size] of Object.entries(UNIT_MS)) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text || '0s';
}

/** What we ask Temporal for: exactly one cron expression or one interval, and an optional time zone. */
export type DesiredSpec = { kind: 'cron'; cron: string; fields: CronFields } | { kind: 'interval'; interval: string; ms: number };

export function toTemporalSpec(spec: DesiredSpec, timezone: string | undefined): ScheduleSpec {
  const base: ScheduleSpec = spec.kind === 'cron' ? { cronExpressions: [spec.cron] } : { intervals: [{ every: spec.ms }] };
  return timezone ? { ...base, timezone } : base;
}

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];
const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
const FULL_RANGE: Record<CronFieldName, [number, number]> = {
  minute: [0, 59],
  hour: [0, 23],
  dayOfMonth: [1, 31],
  month: [1, 12],
  dayOfWeek: [0, 6],
};

function toNumber(value: number | string): number {
  if (typeof value === 'number') return value;
  const month = MONTHS.indexOf(value);
  return month >= 0 ? month + 1 : DAYS.indexOf(value);
}

// Temporal reads end < start as end = start, and step < 1 as 1.
function normalRange(range: Range<number | string>): { start: number; end: number; step: number } {
  const start = toNumber(range.start);
  const end = Math.max(start, toNumber(range.end ?? range.start));
  return { start, end, step: Math.max(1, range.step ?? 1) };
}

function expand(ranges: readonly Range<number | string>[], field: CronFieldName): number[] {
  if (ranges.length === 0) return expand([{ start: FULL_RANGE[field][0], end: FULL_RANGE[field][1], step: 1 }], field);
  const values = new Set<number>();
  for (const range of ranges) {
    const { start, end, step } = normalRange(range);
    for (let value = start; value <= end; value += step) values.add(field === 'dayOfWeek' && value === 7 ? 0 : value);
  }
  return [...values].sort((a, b) => a - b);
}

const sameValues = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((value, i) => value === b[i]);

function isWholeMinutes(calendar: CalendarSpecDescription): boolean {
  return sameValues(expand(calendar.second, 'minute'), [0]) && calendar.year.length === 0;
}

/**
 * True when a stored spec fires at the same times as `desired`. Temporal turns cron strings into structured
 * calendars, so the comparison is on the sets of matching values, not on the text.
 */
export function specMatches(desired: DesiredSpec, stored: ScheduleSpecDescription): boolean {
  const calendars = stored.calendars ?? [];
  const intervals = stored.intervals ?? [];
  if ((stored.skip ?? []).length > 0 || stored.startAt || stored.endAt) return false;
  if (desired.kind === 'interval') {
    const [only] = intervals;
    return calendars.length === 0 && intervals.length === 1 && only?.every === desired.ms && (only.offset ?? 0) === 0;
  }
  const [calendar] = calendars;
  if (intervals.length > 0 || calendars.length !== 1 || !calendar || !isWholeMinutes(calendar)) return false;
  return CRON_FIELDS.every(({ key }) => sameValues(expand(calendar[key] as Range<number | string>[], key), desired.fields[key]));
}

/** Time zones compare equal when both mean UTC. */
export function sameTimezone(a: string | undefined, b: string | undefined): boolean {
  return (a || 'UTC') === (b || 'UTC');
}

function formatField(ranges: readonly Range<number | string>[], field: CronFieldName): string {
  const [min, max] = FULL_RANGE[field];
  if (ranges.length === 0) return '*';
  return ranges
    .map((range) => {
      const { start, end, step } = normalRange(range);
      const suffix = step > 1 ? `/${step}` : '';
      if (start === min && end >= max) return `*${suffix}`;
      if (start === end) return String(start);
      return `${start}-${end}${suffix}`;
    })
    .join(',');
}

function formatCalendar(calendar: CalendarSpecDescription): string {
  const text = CRON_FIELDS.map(({ key }) => formatField(calendar[key] as Range<number | string>[], key)).join(' ');
  const seconds = sameValues(expand(calendar.second, 'minute'), [0]) ? '' : ` second ${formatField(calendar.second, 'minute')}`;
  const years = calendar.year.length > 0 ? ` year ${calendar.year.map((r) => `${r.start}-${r.end}`).join(',')}` : '';
  return `${text}${seconds}${years}${calendar.comment ? ` # ${calendar.comment}` : ''}`;
}

/** A stored spec as one line: cron-style fields for calendars, `every 15m` for intervals, and the time zone. */
export function formatSpec(spec: ScheduleSpecDescription | undefined): string {
  if (!spec) return '-';
  const parts = [
    ...(spec.calendars ?? []).map(formatCalendar),
    ...(spec.intervals ?? []).map((i) => `every ${formatInterval(i.every)}${i.offset ? ` offset ${formatInterval(i.offset)}` : ''}`),
  ];
  const zone = spec.timezone && spec.timezone !== 'UTC' ? ` (${spec.timezone})` : '';
  return parts.length > 0 ? `${parts.join('; ')}${zone}` : '-';
}

/** A desired spec as one line, in the same style as {@link formatSpec}. */
export function formatDesiredSpec(spec: DesiredSpec, timezone?: string): string {
  const text = spec.kind === 'cron' ? spec.cron : `every ${spec.interval}`;
  return timezone && timezone !== 'UTC' ? `${text} (${timezone})` : text;
}

import type { CalendarSpecDescription, ScheduleSpecDescription } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { parseCron } from './cron.js';
import { InvalidIntervalError } from './errors.js';
import { formatInterval, formatSpec, parseInterval, sameTimezone, specMatches, type DesiredSpec } from './schedule-spec.js';

// What Temporal returns for `0 */6 * * MON-FRI` (captured from a dev server).
const every6hWeekdays: CalendarSpecDescription = {
  second: [{ start: 0, end: 0, step: 1 }],
  minute: [{ start: 0, end: 0, step: 1 }],
  hour: [{ start: 0, end: 23, step: 6 }],
  dayOfMonth: [{ start: 1, end: 31, step: 1 }],
  month: [{ start: 'JANUARY', end: 'DECEMBER', step: 1 }],
  year: [],
  dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY', step: 1 }],
  comment: '',
};
const stored = (spec: Partial<ScheduleSpecDescription>): ScheduleSpecDescription => ({ calendars: [], intervals: [], skip: [], timezone: '', ...spec });
const cron = (text: string): DesiredSpec => ({ kind: 'cron', cron: text, fields: parseCron(text) });
const interval = (text: string): DesiredSpec => ({ kind: 'interval', interval: text, ms: parseInterval(text) });

describe('intervals', () => {
  it('parses single and combined units', () => {
    expect(parseInterval('15m')).toBe(900_000);
    expect(parseInterval('6h')).toBe(21_600_000);
    expect(parseInterval('1d')).toBe(86_400_000);
    expect(parseInterval('30s')).toBe(30_000);
    expect(parseInterval('1h30m')).toBe(5_400_000);
    expect(parseInterval(' 2H ')).toBe(7_200_000);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '15', 'm', '15 minutes', '0m', '1.5h', '-5m', '30m1h']) {
      expect(() => parseInterval(bad), bad).toThrow(InvalidIntervalError);
    }
    expect(() => parseInterval('15x')).toThrow('Invalid interval "15x": expected a duration like 30s, 15m, 6h, 1d or 1h30m');
  });

  it('formats milliseconds back', () => {
    expect([900_000, 21_600_000, 86_400_000, 5_400_000, 90_061_000].map(formatInterval)).toEqual(['15m', '6h', '1d', '1h30m', '1d1h1m1s']);
  });
});

describe('specMatches', () => {
  it('matches a cron against the calendar Temporal made of it, whatever the notation', () => {
    const spec = stored({ calendars: [every6hWeekdays] });
    expect(specMatches(cron('0 */6 * * MON-FRI'), spec)).toBe(true);
    expect(specMatches(cron('0 0,6,12,18 * * 1-5'), spec)).toBe(true);
    expect(specMatches(cron('0 */4 * * MON-FRI'), spec)).toBe(false);
    expect(specMatches(cron('0 */6 * * *'), spec)).toBe(false);
    expect(specMatches(interval('6h'), spec)).toBe(false);
  });

  it('matches intervals by length and offset', () => {
    expect(specMatches(interval('15m'), stored({ intervals: [{ every: 900_000, offset: 0 }] }))).toBe(true);
    expect(specMatches(interval('15m'), stored({ intervals: [{ every: 900_000 } as never] }))).toBe(true);
    expect(specMatches(interval('15m'), stored({ intervals: [{ every: 900_000, offset: 60_000 }] }))).toBe(false);
    expect(specMatches(interval('15m'), stored({ intervals: [{ every: 600_000, offset: 0 }] }))).toBe(false);
  });

  it('sees extra calendars, seconds or skips as a difference', () => {
    expect(specMatches(cron('0 */6 * * 1-5'), stored({ calendars: [every6hWeekdays, every6hWeekdays] }))).toBe(false);
    expect(specMatches(cron('0 */6 * * 1-5'), stored({ calendars: [{ ...every6hWeekdays, second: [{ start: 30, end: 30, step: 1 }] }] }))).toBe(false);
    expect(specMatches(cron('0 */6 * * 1-5'), stored({ calendars: [every6hWeekdays], skip: [every6hWeekdays] }))).toBe(false);
  });

  it('treats an empty zone as UTC', () => {
    expect(sameTimezone(undefined, '')).toBe(true);
    expect(sameTimezone('UTC', '')).toBe(true);
    expect(sameTimezone('Europe/Berlin', '')).toBe(false);
  });
});

describe('formatSpec', () => {
  it('writes calendars as cron fields and intervals as durations, with the zone', () => {
    expect(formatSpec(stored({ calendars: [every6hWeekdays], timezone: 'Europe/Berlin' }))).toBe('0 */6 * * 1-5 (Europe/Berlin)');
    expect(formatSpec(stored({ intervals: [{ every: 900_000, offset: 0 }] }))).toBe('every 15m');
    expect(formatSpec(stored({ calendars: [{ ...every6hWeekdays, minute: [{ start: 5, end: 59, step: 15 }] }] }))).toBe('5-59/15 */6 * * 1-5');
    expect(formatSpec(undefined)).toBe('-');
  });
});

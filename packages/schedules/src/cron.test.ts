import { describe, expect, it } from 'vitest';
import { isValidCron, parseCron } from './cron.js';
import { InvalidCronError } from './errors.js';

describe('parseCron', () => {
  it('expands steps, ranges and lists into the matching values', () => {
    expect(parseCron('0 */6 * * *')).toEqual({
      minute: [0],
      hour: [0, 6, 12, 18],
      dayOfMonth: Array.from({ length: 31 }, (_, i) => i + 1),
      month: Array.from({ length: 12 }, (_, i) => i + 1),
      dayOfWeek: [0, 1, 2, 3, 4, 5, 6],
    });
    expect(parseCron('5,10-12 1-10/3 1 * *')).toMatchObject({ minute: [5, 10, 11, 12], hour: [1, 4, 7, 10], dayOfMonth: [1] });
    expect(parseCron('5/20 * * * *').minute).toEqual([5, 25, 45]);
  });

  it('reads month and day names in any case, and 7 as Sunday', () => {
    expect(parseCron('0 9 * JAN-mar MON-FRI')).toMatchObject({ month: [1, 2, 3], dayOfWeek: [1, 2, 3, 4, 5] });
    expect(parseCron('0 0 * * 7').dayOfWeek).toEqual([0]);
    expect(parseCron('0 0 * * sun,SAT').dayOfWeek).toEqual([0, 6]);
  });

  it('accepts the shorthands Temporal accepts', () => {
    expect(parseCron('@daily')).toEqual(parseCron('0 0 * * *'));
    expect(parseCron('@hourly').minute).toEqual([0]);
    expect(parseCron('  0 0 1 1 *  ')).toEqual(parseCron('@yearly'));
  });

  it('names the field that is out of range', () => {
    expect(() => parseCron('0 25 * * *')).toThrow('Invalid cron "0 25 * * *": hour field "25" is out of range 0-23');
    expect(() => parseCron('60 * * * *')).toThrow('minute field "60" is out of range 0-59');
    expect(() => parseCron('0 0 0 * *')).toThrow('day-of-month field "0" is out of range 1-31');
    expect(() => parseCron('0 0 * 13 *')).toThrow('month field "13" is out of range 1-12');
    expect(() => parseCron('0 0 * * 8')).toThrow('day-of-week field "8" is out of range 0-7');
    expect(() => parseCron('0 1,25 * * *')).toThrow('hour field "1,25" has 25, which is out of range 0-23');
  });

  it('explains other mistakes, field by field', () => {
    const cases: [string, string][] = [
      ['0 0 * *', 'expected 5 fields (minute hour day-of-month month day-of-week), got 4'],
      ['0 0 * * * 2030', 'got 6'],
      ['*/0 * * * *', 'minute field "*/0": step "0" must be a positive integer'],
      ['0 5-2 * * *', 'hour field "5-2": range "5-2" ends before it starts'],
      ['0 0 * FOO *', 'month field "FOO": "FOO" is not a number or a month name (JAN-DEC)'],
      ['0 0 * * MONDAY', 'day-of-week field "MONDAY": "MONDAY" is not a number or a day name (SUN-SAT)'],
      ['x 0 * * *', 'minute field "x": "x" is not a number'],
      ['1,,2 0 * * *', 'minute field "1,,2" has an empty list item'],
      ['1/2/3 0 * * *', 'has more than one step'],
      ['', 'got 0'],
    ];
    for (const [expression, message] of cases) expect(() => parseCron(expression), expression).toThrow(message);
  });

  it('throws InvalidCronError carrying the field and, when given, the schedule id', () => {
    const error = (() => {
      try {
        parseCron('0 25 * * *', { scheduleId: 'harvest-acme' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidCronError);
    expect(error).toMatchObject({ field: 'hour', expression: '0 25 * * *', scheduleId: 'harvest-acme' });
    expect((error as Error).message).toBe('Schedule "harvest-acme": Invalid cron "0 25 * * *": hour field "25" is out of range 0-23');
  });

  it('isValidCron answers without throwing', () => {
    expect(isValidCron('*/15 * * * *')).toBe(true);
    expect(isValidCron('*/15 * * *')).toBe(false);
  });
});

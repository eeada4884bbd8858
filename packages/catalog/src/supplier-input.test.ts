import { describe, expect, it } from 'vitest';
import { InvalidSupplierError } from './errors.js';
import { parseSupplierInput } from './supplier-input.js';

const valid = { id: 'camping-trade', feedUrl: 'https://feeds.example.com/c.csv', format: 'csv' };

function issues(input: unknown): Record<string, string> {
  try {
    parseSupplierInput(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSupplierError);
    return Object.fromEntries((error as InvalidSupplierError).issues.map((issue) => [issue.field, issue.message]));
  }
  throw new Error('expected the input to be refused');
}

describe('parseSupplierInput', () => {
  it('normalizes a valid supplier: trimmed, name defaulting to the id, empty strings as unset', () => {
    expect(parseSupplierInput({ ...valid, id: ' camping-trade ', transformer: '', harvestCron: ' @daily ' })).toEqual({
      id: 'camping-trade',
      name: 'camping-trade',
      feedUrl: 'https://feeds.example.com/c.csv',
      format: 'csv',
      transformer: null,
      harvestCron: '@daily',
      options: {},
    });
  });

  it.each(['0 */6 * * *', '*/15 2-5 1,15 JAN-MAR MON-FRI', '@hourly', '@weekly'])('accepts the cron %s', (cron) => {
    expect(parseSupplierInput({ ...valid, harvestCron: cron }).harvestCron).toBe(cron);
  });

  it('lists every problem at once', () => {
    expect(issues({ id: '-Bad_', feedUrl: 'not a url', format: 'tsv', harvestCron: '* * *', extra: 1 })).toEqual({
      id: expect.stringContaining('must be a slug'),
      feedUrl: '"not a url" is not a URL',
      format: 'must be one of csv, json, jsonl, xml, yml, google-merchant',
      harvestCron: expect.stringContaining('must be a 5-field cron expression'),
      '': 'unknown field extra',
    });
  });

  it('refuses secrets in the feed URL or the auth header reference', () => {
    expect(issues({ ...valid, feedUrl: 'https://user:secret@feeds.example.com/c.csv' }).feedUrl).toContain('must not contain credentials');
    expect(issues({ ...valid, options: { authHeader: { name: 'Authorization', env: 'Bearer abc' } } })['options.authHeader.env']).toContain('NAME of an environment variable');
    expect(issues({ ...valid, feedUrl: 'file:///etc/passwd' }).feedUrl).toBe('must be http or https, not file');
  });

  it('checks options against the format', () => {
    expect(issues({ ...valid, format: 'xml' })['options.recordPath']).toContain('is required for format xml');
    expect(issues({ ...valid, format: 'json', options: { delimiter: ';' } })['options.delimiter']).toBe('applies to format csv only, not json');
    expect(issues({ ...valid, options: { delimiter: ';;' } })['options.delimiter']).toContain('single character');
    expect(issues({ ...valid, options: { encodnig: 'utf-8' } })['options']).toBe('unknown field encodnig');
  });
});

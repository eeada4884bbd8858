import { describe, expect, it } from 'vitest';
import { createJsonLogger } from './logger.js';

function capture(level?: 'DEBUG' | 'INFO' | 'WARN') {
  const lines: Record<string, unknown>[] = [];
  const logger = createJsonLogger({ ...(level ? { level } : {}), write: (line) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('createJsonLogger', () => {
  it('writes one JSON object per line with time, level, message and metadata', () => {
    const { logger, lines } = capture();
    logger.info('harvest started', { supplierId: 'camping-trade' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'harvest started', supplierId: 'camping-trade' });
    expect(new Date(String(lines[0]?.time)).getTime()).not.toBeNaN();
  });

  it('drops lines below its level', () => {
    const { logger, lines } = capture('WARN');
    logger.info('quiet');
    logger.debug('quieter');
    logger.error('loud');
    expect(lines.map((l) => l.msg)).toEqual(['loud']);
  });

  it('masks secret-looking fields at any depth', () => {
    const { logger, lines } = capture();
    logger.info('connecting', { apiKey: 'sk-123', db: { password: 'hunter2', host: 'db' }, Authorization: 'Bearer x' });
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('sk-123');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('Bearer x');
    expect(lines[0]).toMatchObject({ db: { host: 'db', password: '[redacted]' } });
  });

  it('serialises errors with their cause, and children add their fields', () => {
    const { logger, lines } = capture();
    const child = logger.child({ module: 'harvester' });
    child.error('failed', { error: new Error('outer', { cause: new Error('inner') }) });
    expect(lines[0]).toMatchObject({ module: 'harvester', error: { message: 'outer', cause: { message: 'inner' } } });
  });
});

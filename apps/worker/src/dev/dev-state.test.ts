import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devDataDir, readDevState, writeDevState } from './dev-state.js';
import { devEnvironment } from './run-dev.js';

describe('dev state', () => {
  it('remembers ports between starts and ignores what is not a port', () => {
    const projectDir = mkdtempSync(join(tmpdir(), 'dev-state-'));
    expect(readDevState(projectDir)).toEqual({});
    writeDevState(projectDir, { temporalPort: 7233, uiPort: 8233, feedPort: 40123 });
    expect(readDevState(projectDir)).toEqual({ temporalPort: 7233, uiPort: 8233, feedPort: 40123 });

    writeFileSync(join(devDataDir(projectDir), 'dev.json'), JSON.stringify({ temporalPort: 'x', uiPort: 70000, feedPort: 8080.5 }));
    expect(readDevState(projectDir)).toEqual({});
    writeFileSync(join(devDataDir(projectDir), 'dev.json'), '{ not json');
    expect(readDevState(projectDir)).toEqual({});
  });

  it('creates the data directory when it is missing', () => {
    const projectDir = join(mkdtempSync(join(tmpdir(), 'dev-state-')), 'nested');
    mkdirSync(projectDir);
    writeDevState(projectDir, { feedPort: 1234 });
    expect(readDevState(projectDir)).toEqual({ feedPort: 1234 });
  });
});

describe('devEnvironment', () => {
  it('adds loopback to the allow-list once, points at the Temporal in use, and keeps logs quiet unless asked', () => {
    expect(devEnvironment({}, '127.0.0.1:7233')).toMatchObject({ TEMPORAL_HOST: '127.0.0.1:7233', HARVEST_ALLOW_NETWORKS: '127.0.0.1/32', LOG_LEVEL: 'WARN' });
    const given = devEnvironment({ HARVEST_ALLOW_NETWORKS: '10.0.0.0/8, 127.0.0.1/32', LOG_LEVEL: 'DEBUG' }, 'temporal:7233');
    expect(given).toMatchObject({ HARVEST_ALLOW_NETWORKS: '10.0.0.0/8,127.0.0.1/32', LOG_LEVEL: 'DEBUG' });
  });
});

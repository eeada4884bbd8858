import { describe, expect, it } from 'vitest';
import { WorkerConfig } from './config.js';
import { loadTlsConfig } from './connection.js';

describe('loadTlsConfig', () => {
  it('is plain without TLS settings or an API key', async () => {
    expect(await loadTlsConfig(WorkerConfig.fromEnv({}).temporal)).toBeUndefined();
  });

  it('turns TLS on for an API key, with system roots', async () => {
    expect(await loadTlsConfig(WorkerConfig.fromEnv({ TEMPORAL_API_KEY: 'k' }).temporal)).toBe(true);
  });

  it('keeps TLS off for an API key when TEMPORAL_TLS=false says so', async () => {
    expect(await loadTlsConfig(WorkerConfig.fromEnv({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' }).temporal)).toBe(false);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { WorkerConfig } from './config.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    WorkerConfig.fromEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('WorkerConfig.fromEnv', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = WorkerConfig.fromEnv({});
    expect(config.temporal).toEqual({ host: 'localhost:7233', namespace: 'default' });
    expect(config.database.url).toBeUndefined();
    expect(config.database.embeddedDir).toBe(resolve('.contextworker/pgdata'));
    expect(config.tenantId).toBe('default');
    expect(config.projectDir).toBe(resolve('.'));
    expect(config.worker).toEqual({ taskQueue: 'default', maxConcurrent: 10, shutdownGraceSeconds: 30, logLevel: 'INFO' });
    expect(config.harvest.allowNetworks).toEqual([]);
    expect(config.harvest.maxFeedBytes).toBe(4 * 1024 ** 3);
    expect(config.routerUrl).toBeUndefined();
  });

  it('reads every variable it documents', () => {
    const config = WorkerConfig.fromEnv({
      TEMPORAL_HOST: 'temporal.internal:7234',
      TEMPORAL_NAMESPACE: 'shop',
      DATABASE_URL: 'postgres://u:p@db:5432/shop',
      PROJECT_DIR: '/srv/shop',
      TENANT_ID: 'acme',
      WORKER_TASK_QUEUE: 'harvest',
      WORKER_MAX_CONCURRENT: '25',
      WORKER_SHUTDOWN_GRACE_SECONDS: '5',
      WORKER_HTTP_PORT: '9464',
      LOG_LEVEL: 'debug',
      HARVEST_ALLOW_NETWORKS: '127.0.0.0/8, ::1',
      HARVEST_MAX_FEED_BYTES: '500MiB',
      ROUTER_URL: 'http://router:8080/classify',
    });
    expect(config.temporal.host).toBe('temporal.internal:7234');
    expect(config.temporal.namespace).toBe('shop');
    expect(config.database.url).toBe('postgres://u:p@db:5432/shop');
    expect(config.projectDir).toBe('/srv/shop');
    expect(config.database.embeddedDir).toBe('/srv/shop/.contextworker/pgdata');
    expect(config.tenantId).toBe('acme');
    expect(config.worker).toMatchObject({ taskQueue: 'harvest', maxConcurrent: 25, shutdownGraceSeconds: 5, httpPort: 9464, logLevel: 'DEBUG' });
    expect(config.harvest.allowNetworks).toEqual([
      { address: '127.0.0.0', prefix: 8, family: 'ipv4' },
      { address: '::1', prefix: 128, family: 'ipv6' },
    ]);
    expect(config.harvest.maxFeedBytes).toBe(500 * 1024 ** 2);
    expect(config.routerUrl).toBe('http://router:8080/classify');
  });

  it('lists every bad variable in one error, naming each and why', () => {
    const error = configError({
      TEMPORAL_HOST: 'no-port-here',
      WORKER_MAX_CONCURRENT: 'ten',
      TENANT_ID: 'Bad Tenant!',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'chatty',
      HARVEST_ALLOW_NETWORKS: '10.0.0.0/8,not-a-net',
      HARVEST_MAX_FEED_BYTES: 'lots',
    });
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual(
      ['DATABASE_URL', 'HARVEST_ALLOW_NETWORKS', 'HARVEST_MAX_FEED_BYTES', 'LOG_LEVEL', 'TEMPORAL_HOST', 'TENANT_ID', 'WORKER_MAX_CONCURRENT'],
    );
    expect(error.message).toContain('Invalid configuration (7 problems)');
    expect(error.message).toMatch(/TEMPORAL_HOST: expected host:port/);
    expect(error.message).toMatch(/WORKER_MAX_CONCURRENT: expected a whole number/);
    expect(error.message).toContain('"not-a-net" is not a CIDR');
  });

  it('treats empty strings as unset rather than invalid', () => {
    expect(WorkerConfig.fromEnv({ TEMPORAL_HOST: '', WORKER_MAX_CONCURRENT: '  ' }).worker.maxConcurrent).toBe(10);
  });

  it('rejects out-of-range numbers', () => {
    const error = configError({ WORKER_MAX_CONCURRENT: '0', WORKER_HTTP_PORT: '70000', TEMPORAL_HOST: 'h:99999' });
    expect(error.issues.map((i) => i.variable).sort()).toEqual(['TEMPORAL_HOST', 'WORKER_HTTP_PORT', 'WORKER_MAX_CONCURRENT']);
  });

  it('never echoes a secret value in the error', () => {
    const error = configError({ DATABASE_URL: 'mysql://user:hunter2@db/x', TEMPORAL_TLS_CERT: '/nope/cert.pem' });
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('TEMPORAL_TLS_KEY: mTLS needs both');
  });

  it('turns on TLS for an API key, and mTLS from certificate files', () => {
    expect(WorkerConfig.fromEnv({ TEMPORAL_API_KEY: 'k' }).temporal).toMatchObject({ apiKey: 'k', tls: {} });
    const dir = mkdtempSync(join(tmpdir(), 'cw-config-'));
    writeFileSync(join(dir, 'c.pem'), 'cert');
    writeFileSync(join(dir, 'k.pem'), 'key');
    const config = WorkerConfig.fromEnv({ TEMPORAL_TLS_CERT: join(dir, 'c.pem'), TEMPORAL_TLS_KEY: join(dir, 'k.pem') });
    expect(config.temporal.tls).toEqual({ certPath: join(dir, 'c.pem'), keyPath: join(dir, 'k.pem') });
    expect(WorkerConfig.fromEnv({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' }).temporal.tls).toBeUndefined();
  });
});

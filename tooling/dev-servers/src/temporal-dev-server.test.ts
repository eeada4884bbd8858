import { describe, expect, it } from 'vitest';
import { startTemporalDevServer, temporalDevServerArgs } from './temporal-dev-server.js';

describe('temporalDevServerArgs', () => {
  it('is headless and in memory by default', () => {
    expect(temporalDevServerArgs({ ip: '127.0.0.1', port: 7233 })).toEqual([
      'server', 'start-dev', '--ip', '127.0.0.1', '--port', '7233', '--headless', '--log-level', 'warn', '--color', 'never',
    ]);
    expect(temporalDevServerArgs({ ip: '127.0.0.1', port: 7233, uiPort: false })).toContain('--headless');
  });

  it('passes the UI port, database file, namespaces and log level', () => {
    const args = temporalDevServerArgs({
      ip: '0.0.0.0',
      port: 7000,
      uiPort: 8000,
      dbFilename: '/data/temporal.db',
      namespaces: ['a', 'b'],
      logLevel: 'error',
    });
    expect(args).not.toContain('--headless');
    expect(args.join(' ')).toBe(
      'server start-dev --ip 0.0.0.0 --port 7000 --ui-port 8000 --db-filename /data/temporal.db --namespace a --namespace b --log-level error --color never',
    );
  });
});

describe('startTemporalDevServer', () => {
  it('fails with the reason when the binary cannot be run', async () => {
    await expect(startTemporalDevServer({ cliPath: '/nonexistent/temporal', readyTimeoutMs: 5_000 })).rejects.toThrow(
      /Could not start \/nonexistent\/temporal: .*ENOENT/,
    );
  });

  it("fails with the server's last output when it exits before it is ready", async () => {
    // /bin/false as the "CLI" exits at once, like a server that cannot start.
    await expect(startTemporalDevServer({ cliPath: '/bin/false', readyTimeoutMs: 5_000 })).rejects.toThrow(
      /exited with code 1 before it was ready. Last server output/,
    );
  });
});

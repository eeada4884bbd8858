import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import type { TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TemporalConfig } from './config.js';
import { TemporalUnreachableError } from './errors.js';

export interface ConnectRetryOptions {
  /** How many times to try before giving up (default 5). */
  attempts?: number;
  /** Delay before the second attempt; doubles up to 5 s (default 250 ms). */
  initialDelayMs?: number;
  /** How long one client connect attempt may take (default 10 s). */
  attemptTimeoutMs?: number;
}

export type TemporalConnectionOptions = TemporalConfig & { retry?: ConnectRetryOptions };

/**
 * Builds the SDK's TLS settings from file paths; `undefined` or `false` means a plain connection.
 * `config.tls` is unset with an API key only when TEMPORAL_TLS=false turned TLS off; the SDK would
 * turn it back on for an API key unless told `false`.
 */
export async function loadTlsConfig(config: TemporalConfig): Promise<TLSConfig | boolean | undefined> {
  if (!config.tls) return config.apiKey ? false : undefined;
  const tls = config.tls;
  if (!tls.certPath && !tls.caPath && !tls.serverName) return true;
  const [crt, key, ca] = await Promise.all([
    tls.certPath ? readFile(tls.certPath) : undefined,
    tls.keyPath ? readFile(tls.keyPath) : undefined,
    tls.caPath ? readFile(tls.caPath) : undefined,
  ]);
  return {
    ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
    ...(ca ? { serverRootCACertificate: ca } : {}),
    ...(crt && key ? { clientCertPair: { crt, key } } : {}),
  };
}

async function withRetry<T>(address: string, retry: ConnectRetryOptions | undefined, connect: () => Promise<T>): Promise<T> {
  const attempts = Math.max(1, retry?.attempts ?? 5);
  let delay = retry?.initialDelayMs ?? 250;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await connect();
    } catch (error) {
      lastError = error;
      if (attempt < attempts) {
        await sleep(delay);
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }
  throw new TemporalUnreachableError(address, attempts, lastError);
}

/** A client-side connection (for starting workflows, schedules, queries). */
export async function connectTemporal(options: TemporalConnectionOptions): Promise<Connection> {
  const tls = await loadTlsConfig(options);
  return withRetry(options.host, options.retry, () =>
    Connection.connect({
      address: options.host,
      connectTimeout: options.retry?.attemptTimeoutMs ?? 10_000,
      ...(tls !== undefined ? { tls } : {}),
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    }),
  );
}

/** A ready-to-use Temporal client for the configured namespace. */
export async function getTemporalClient(options: TemporalConnectionOptions): Promise<Client> {
  const connection = await connectTemporal(options);
  return new Client({ connection, namespace: options.namespace });
}

/** The worker-side (native) connection a Temporal worker polls through. */
export async function connectWorker(options: TemporalConnectionOptions): Promise<NativeConnection> {
  const tls = await loadTlsConfig(options);
  return withRetry(options.host, options.retry, () =>
    NativeConnection.connect({
      address: options.host,
      ...(tls !== undefined ? { tls } : {}),
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    }),
  );
}

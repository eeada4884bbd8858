import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findFreePort, findTemporalCli, startTemporalDevServer, temporalCliNotFoundMessage, type TemporalDevServer } from '@contextworker/dev-servers';
import { UnavailableError } from '../exit-codes.js';
import { preferredPort } from './ports.js';

export interface LocalTemporal {
  address: string;
  /** Set when this process started the dev server. */
  uiUrl?: string;
  server?: TemporalDevServer;
  /** Where the started server keeps its state. */
  dbFile?: string;
  /** The ports the started server listens on, to prefer them next time. */
  ports?: { temporal: number; ui: number };
}

export interface LocalTemporalOptions {
  /** `TEMPORAL_HOST` when the user set it: use that server and start none. */
  host: string | undefined;
  dataDir: string;
  ports: { temporal?: number; ui?: number };
  log: (line: string) => void;
}

/**
 * The Temporal server for `contextworker dev`: the one `TEMPORAL_HOST` names, or a dev server started
 * here with its web UI and a SQLite file under the project, so workflows and schedules survive a restart.
 */
export async function useLocalTemporal(options: LocalTemporalOptions): Promise<LocalTemporal> {
  if (options.host) return { address: options.host };
  const cliPath = await findTemporalCli({ log: options.log });
  if (!cliPath) throw new UnavailableError(`no Temporal server: set TEMPORAL_HOST, or make the Temporal CLI available. ${temporalCliNotFoundMessage()}`);
  const port = await preferredPort(options.ports.temporal ?? 7233);
  const uiPort = (await preferredPort(options.ports.ui ?? 8233)) ?? (await findFreePort());
  mkdirSync(options.dataDir, { recursive: true });
  const dbFile = join(options.dataDir, 'temporal.sqlite');
  const server = await startTemporalDevServer({
    cliPath,
    ...(port ? { port } : {}),
    uiPort,
    dbFilename: dbFile,
    // Ctrl-C reaches only this process, which stops the server after the worker has drained.
    detached: true,
  });
  const ports = { temporal: port ?? Number(new URL(`http://${server.address}`).port), ui: uiPort };
  return { address: server.address, ...(server.uiUrl ? { uiUrl: server.uiUrl } : {}), server, dbFile, ports };
}

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from './errors.js';
import { boolean, byteSize, cidrList, hostPort, httpUrl, identifier, integer, postgresUrl, type Cidr } from './env-parsers.js';

export type LogLevelName = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** mTLS or server-verified TLS towards Temporal; paths are read when connecting. */
export interface TemporalTlsConfig {
  certPath?: string;
  keyPath?: string;
  caPath?: string;
  serverName?: string;
}

export interface TemporalConfig {
  host: string;
  namespace: string;
  /** Temporal Cloud API key; implies TLS. */
  apiKey?: string;
  /** `undefined` = plain connection. */
  tls?: TemporalTlsConfig;
}

export interface DatabaseConfig {
  /** PostgreSQL URL; unset means the embedded database under `embeddedDir`. */
  url?: string;
  embeddedDir: string;
}

export interface WorkerSettings {
  taskQueue: string;
  maxConcurrent: number;
  shutdownGraceSeconds: number;
  /** Port of /healthz, /readyz and /metrics; `undefined` = no HTTP endpoint. */
  httpPort?: number;
  /** host:port of the Temporal SDK's own Prometheus exporter; `undefined` = off. */
  sdkMetricsAddress?: string;
  logLevel: LogLevelName;
  /** A prebuilt workflow bundle; unset = `<projectDir>/.contextworker/workflow-bundle.js` when it exists. */
  bundlePath?: string;
}

export interface HarvestSettings {
  allowNetworks: Cidr[];
  maxFeedBytes: number;
}

export interface WorkerConfig {
  temporal: TemporalConfig;
  database: DatabaseConfig;
  tenantId: string;
  projectDir: string;
  worker: WorkerSettings;
  harvest: HarvestSettings;
  /** The router service's classification endpoint; unset = built-in classifier. */
  routerUrl?: string;
}

const DEFAULT_MAX_FEED_BYTES = 4 * 1024 ** 3;

// One entry per variable, so every issue path is the variable's name.
const envSchema = z.object({
  TEMPORAL_HOST: hostPort.default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().trim().min(1, 'must not be empty').default('default'),
  TEMPORAL_API_KEY: z.string().trim().min(1, 'must not be empty when set').optional(),
  TEMPORAL_TLS: boolean.optional(),
  TEMPORAL_TLS_CERT: z.string().trim().min(1).optional(),
  TEMPORAL_TLS_KEY: z.string().trim().min(1).optional(),
  TEMPORAL_TLS_CA: z.string().trim().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().trim().min(1).optional(),
  DATABASE_URL: postgresUrl.optional(),
  PROJECT_DIR: z.string().trim().min(1).default('.'),
  TENANT_ID: identifier.default('default'),
  WORKER_TASK_QUEUE: z.string().trim().min(1, 'must not be empty').max(200).default('default'),
  WORKER_MAX_CONCURRENT: integer({ min: 1, max: 10_000 }).default('10'),
  WORKER_SHUTDOWN_GRACE_SECONDS: integer({ min: 0, max: 3600 }).default('30'),
  WORKER_HTTP_PORT: integer({ min: 0, max: 65535 }).optional(),
  TEMPORAL_METRICS_ADDRESS: hostPort.optional(),
  WORKER_WORKFLOW_BUNDLE: z.string().trim().min(1).optional(),
  LOG_LEVEL: z
    .string()
    .trim()
    .toUpperCase()
    .pipe(z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'], { message: 'expected TRACE, DEBUG, INFO, WARN or ERROR' }))
    .default('INFO'),
  HARVEST_ALLOW_NETWORKS: cidrList.default(''),
  HARVEST_MAX_FEED_BYTES: byteSize.optional(),
  ROUTER_URL: httpUrl.optional(),
});

type Env = Record<string, string | undefined>;

function describeIssue(issue: z.ZodIssue): string {
  if (issue.code === z.ZodIssueCode.invalid_type && issue.received === 'undefined') return 'is required';
  return issue.message;
}

// Checked on the raw strings so these problems are reported alongside schema errors.
function checkCrossFieldRules(env: Env, issues: ConfigIssue[]): void {
  if (Boolean(env.TEMPORAL_TLS_CERT) !== Boolean(env.TEMPORAL_TLS_KEY)) {
    const missing = env.TEMPORAL_TLS_CERT ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT';
    issues.push({ variable: missing, message: 'mTLS needs both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY' });
  }
  for (const variable of ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA'] as const) {
    const path = env[variable];
    if (path && !existsSync(path)) issues.push({ variable, message: `file not found: ${path}` });
  }
}

function toConfig(env: z.output<typeof envSchema>): WorkerConfig {
  const wantsTls =
    env.TEMPORAL_TLS ?? Boolean(env.TEMPORAL_API_KEY || env.TEMPORAL_TLS_CERT || env.TEMPORAL_TLS_CA || env.TEMPORAL_TLS_SERVER_NAME);
  const projectDir = resolve(env.PROJECT_DIR);
  return {
    temporal: {
      host: env.TEMPORAL_HOST,
      namespace: env.TEMPORAL_NAMESPACE,
      ...(env.TEMPORAL_API_KEY ? { apiKey: env.TEMPORAL_API_KEY } : {}),
      ...(wantsTls
        ? {
            tls: {
              ...(env.TEMPORAL_TLS_CERT ? { certPath: env.TEMPORAL_TLS_CERT } : {}),
              ...(env.TEMPORAL_TLS_KEY ? { keyPath: env.TEMPORAL_TLS_KEY } : {}),
              ...(env.TEMPORAL_TLS_CA ? { caPath: env.TEMPORAL_TLS_CA } : {}),
              ...(env.TEMPORAL_TLS_SERVER_NAME ? { serverName: env.TEMPORAL_TLS_SERVER_NAME } : {}),
            },
          }
        : {}),
    },
    database: {
      ...(env.DATABASE_URL ? { url: env.DATABASE_URL } : {}),
      embeddedDir: resolve(projectDir, '.contextworker', 'pgdata'),
    },
    tenantId: env.TENANT_ID,
    projectDir,
    worker: {
      taskQueue: env.WORKER_TASK_QUEUE,
      maxConcurrent: env.WORKER_MAX_CONCURRENT,
      shutdownGraceSeconds: env.WORKER_SHUTDOWN_GRACE_SECONDS,
      ...(env.WORKER_HTTP_PORT !== undefined ? { httpPort: env.WORKER_HTTP_PORT } : {}),
      ...(env.TEMPORAL_METRICS_ADDRESS ? { sdkMetricsAddress: env.TEMPORAL_METRICS_ADDRESS } : {}),
      logLevel: env.LOG_LEVEL,
      ...(env.WORKER_WORKFLOW_BUNDLE ? { bundlePath: resolve(env.WORKER_WORKFLOW_BUNDLE) } : {}),
    },
    harvest: {
      allowNetworks: env.HARVEST_ALLOW_NETWORKS,
      maxFeedBytes: env.HARVEST_MAX_FEED_BYTES ?? DEFAULT_MAX_FEED_BYTES,
    },
    ...(env.ROUTER_URL ? { routerUrl: env.ROUTER_URL } : {}),
  };
}

/**
 * Reads the worker configuration from environment variables.
 * Empty strings count as unset, as shells and compose files often export `VAR=`.
 *
 * @throws {ConfigError} listing every invalid variable at once (secret values are never echoed).
 */
function fromEnv(env: Env = process.env): WorkerConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = envSchema.safeParse(present);
  const issues: ConfigIssue[] = [];
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const variable = String(issue.path[0] ?? 'environment');
    // A value can fail several checks; its first complaint is the useful one.
    if (!issues.some((known) => known.variable === variable)) issues.push({ variable, message: describeIssue(issue) });
  }
  checkCrossFieldRules(present, issues);
  if (issues.length > 0 || !parsed.success) throw new ConfigError(issues);
  return toConfig(parsed.data);
}

/** The variables `fromEnv` reads, for help output and documentation. */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);

export const WorkerConfig = { fromEnv, variables: CONFIG_VARIABLES };

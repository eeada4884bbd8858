import { WorkerConfig } from '@contextworker/core-temporal';

/** Flags shared by commands that talk to Temporal; each overrides its environment variable. */
export interface ConnectionFlags {
  temporalHost?: string;
  namespace?: string;
  taskQueue?: string;
  projectDir?: string;
  tenantId?: string;
  httpPort?: string;
  bundle?: string;
}

const FLAG_VARIABLES: Record<keyof ConnectionFlags, string> = {
  temporalHost: 'TEMPORAL_HOST',
  namespace: 'TEMPORAL_NAMESPACE',
  taskQueue: 'WORKER_TASK_QUEUE',
  projectDir: 'PROJECT_DIR',
  tenantId: 'TENANT_ID',
  httpPort: 'WORKER_HTTP_PORT',
  bundle: 'WORKER_WORKFLOW_BUNDLE',
};

/** Reads the configuration from the environment with flags laid over it, validated as one. */
export function loadConfig(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const merged: Record<string, string | undefined> = { ...env };
  for (const [flag, variable] of Object.entries(FLAG_VARIABLES)) {
    const value = flags[flag as keyof ConnectionFlags];
    if (value !== undefined) merged[variable] = value;
  }
  return WorkerConfig.fromEnv(merged);
}

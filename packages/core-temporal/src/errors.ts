/** One problem with one environment variable. */
export interface ConfigIssue {
  variable: string;
  message: string;
}

/**
 * Thrown when the environment does not describe a valid worker configuration.
 * Lists every bad variable at once so a deployment is fixed in one round.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.variable}: ${issue.message}`);
    super(`Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
    this.issues = issues;
  }
}

/** Thrown when the Temporal frontend cannot be reached after the bounded connect retries. */
export class TemporalUnreachableError extends Error {
  override readonly name = 'TemporalUnreachableError';
  readonly address: string;
  readonly attempts: number;

  constructor(address: string, attempts: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `Cannot reach Temporal at ${address} after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}. ` +
        'Check TEMPORAL_HOST (or --temporal-host) and that the server is running.',
      { cause },
    );
    this.address = address;
    this.attempts = attempts;
  }
}

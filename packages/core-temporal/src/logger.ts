import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import type { LogLevelName } from './config.js';

const SEVERITY: Record<LogLevelName, number> = { TRACE: 10, DEBUG: 20, INFO: 30, WARN: 40, ERROR: 50 };

// Metadata keys whose values are secrets; they are masked before a line is written.
const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|authorization|credential/i;

export interface JsonLoggerOptions {
  level?: LogLevelName;
  /** Where lines go; defaults to stderr so stdout stays free for command output. */
  write?: (line: string) => void;
  /** Fields added to every line (service, pid, ...). */
  base?: LogMetadata;
}

export interface JsonLogger extends Logger {
  readonly level: LogLevelName;
  /** A logger that adds `meta` to every line it writes. */
  child(meta: LogMetadata): JsonLogger;
}

function serialise(value: unknown, key = ''): unknown {
  if (SECRET_KEY.test(key) && value !== undefined && value !== null) return '[redacted]';
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack, ...(value.cause ? { cause: serialise(value.cause) } : {}) };
  }
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((item) => serialise(item));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serialise(v, k)]));
  }
  return value;
}

/** A structured logger writing one JSON object per line; usable as the Temporal runtime logger. */
export function createJsonLogger(options: JsonLoggerOptions = {}): JsonLogger {
  const level = options.level ?? 'INFO';
  const threshold = SEVERITY[level];
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const base = options.base ?? {};

  const log = (logLevel: LogLevel, message: string, meta?: LogMetadata): void => {
    if ((SEVERITY[logLevel as LogLevelName] ?? 0) < threshold) return;
    const fields = serialise({ ...base, ...meta }) as Record<string, unknown>;
    write(JSON.stringify({ time: new Date().toISOString(), level: logLevel.toLowerCase(), msg: message, ...fields }));
  };

  return {
    level,
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
    child: (meta) => createJsonLogger({ level, write, base: { ...base, ...meta } }),
  };
}

import { ConfigError, TemporalUnreachableError } from '@contextworker/core-temporal';
import {
  CatalogLockedError,
  CatalogUnavailableError,
  HarvestRunNotFoundError,
  InvalidProductError,
  InvalidSupplierError,
  SupplierHasProductsError,
  SupplierNotFoundError,
} from '@contextworker/catalog';
import { InvalidScheduleError, ScheduleNotFoundError } from '@contextworker/schedules';
import { BundleMismatchError, DuplicateRegistrationError, ModuleLoadError, UnknownModuleError } from '@contextworker/registry';

/**
 * Exit codes of `contextworker`, after BSD sysexits so process managers and
 * scripts can tell a bad deployment from a transient outage.
 */
export const ExitCode = {
  ok: 0,
  /** Anything unexpected. */
  failure: 1,
  /** Bad command line: unknown flag or command, unknown module name or schedule id. */
  usage: 64,
  /** A prebuilt workflow bundle that does not match this worker. */
  bundleMismatch: 65,
  /** Temporal (or another required service) cannot be reached. */
  unavailable: 69,
  /** Bad configuration: environment variables, module definitions, duplicate names. */
  config: 78,
} as const;

/** Thrown for command-line mistakes the parser cannot see (conflicting values and such). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A service the command needs (say, a local Temporal server) cannot be found or started. */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';
}

const USAGE_ERRORS = [
  UsageError,
  UnknownModuleError,
  ScheduleNotFoundError,
  InvalidSupplierError,
  SupplierNotFoundError,
  SupplierHasProductsError,
  HarvestRunNotFoundError,
  InvalidProductError,
];
const CONFIG_ERRORS = [ConfigError, DuplicateRegistrationError, ModuleLoadError, InvalidScheduleError, CatalogLockedError];

export function exitCodeFor(error: unknown): number {
  if (USAGE_ERRORS.some((type) => error instanceof type)) return ExitCode.usage;
  if (error instanceof BundleMismatchError) return ExitCode.bundleMismatch;
  if (error instanceof TemporalUnreachableError || error instanceof CatalogUnavailableError || error instanceof UnavailableError) return ExitCode.unavailable;
  if (CONFIG_ERRORS.some((type) => error instanceof type)) return ExitCode.config;
  return ExitCode.failure;
}

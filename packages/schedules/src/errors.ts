/**
 * Thrown when a schedule definition is invalid (missing task queue, both or neither of cron and interval,
 * unknown overlap policy, bad time zone, duplicate id). Raised before Temporal is called, so nothing was changed.
 */
export class InvalidScheduleError extends Error {
  override readonly name: string = 'InvalidScheduleError';
  /** The schedule the problem belongs to, when known. */
  readonly scheduleId: string | undefined;

  constructor(message: string, options: { scheduleId?: string; cause?: unknown } = {}) {
    super(options.scheduleId ? `Schedule "${options.scheduleId}": ${message}` : message, { cause: options.cause });
    this.scheduleId = options.scheduleId;
  }
}

/**
 * Thrown when a cron expression is not a valid 5-field expression; the message names the bad field,
 * e.g. `Invalid cron "0 25 * * *": hour field "25" is out of range 0-23`.
 */
export class InvalidCronError extends InvalidScheduleError {
  override readonly name: string = 'InvalidCronError';
  readonly expression: string;
  /** The field at fault (`minute`, `hour`, `day-of-month`, `month`, `day-of-week`), if one field is. */
  readonly field: string | undefined;

  constructor(expression: string, reason: string, options: { field?: string; scheduleId?: string } = {}) {
    super(`Invalid cron "${expression}": ${reason}`, options.scheduleId ? { scheduleId: options.scheduleId } : {});
    this.expression = expression;
    this.field = options.field;
  }
}

/** Thrown when an interval is not a positive duration such as `30s`, `15m`, `6h`, `1d` or `1h30m`. */
export class InvalidIntervalError extends InvalidScheduleError {
  override readonly name: string = 'InvalidIntervalError';
  readonly interval: string;

  constructor(interval: string, reason: string, options: { scheduleId?: string } = {}) {
    super(`Invalid interval "${interval}": ${reason}`, options.scheduleId ? { scheduleId: options.scheduleId } : {});
    this.interval = interval;
  }
}

/** Thrown when a schedule id is not known to Temporal (mistyped, or already deleted). */
export class ScheduleNotFoundError extends Error {
  override readonly name = 'ScheduleNotFoundError';
  readonly scheduleId: string;
  readonly namespace: string;

  constructor(scheduleId: string, namespace: string, options: { cause?: unknown } = {}) {
    super(`Schedule "${scheduleId}" not found in namespace "${namespace}"`, { cause: options.cause });
    this.scheduleId = scheduleId;
    this.namespace = namespace;
  }
}

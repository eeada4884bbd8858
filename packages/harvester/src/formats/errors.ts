import type { FeedPosition } from './feed-record.js';

/** Where a fatal problem was found; any part may be unknown. */
export interface FeedErrorPosition extends Partial<FeedPosition> {
  column?: number;
}

function describePosition(position: FeedErrorPosition): string {
  const parts: string[] = [];
  if (position.line !== undefined) parts.push(`line ${position.line}`);
  if (position.column !== undefined) parts.push(`column ${position.column}`);
  if (position.record !== undefined) parts.push(`record ${position.record}`);
  if (position.path !== undefined) parts.push(`at ${position.path}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/**
 * Thrown when a feed cannot be parsed at all: malformed XML, an unbalanced CSV quote,
 * a file that is not JSON, an unknown encoding. Problems confined to one record are
 * not thrown; they are yielded as `ok: false` items.
 */
export class FeedParseError extends Error {
  override readonly name = 'FeedParseError';
  readonly position: FeedErrorPosition;

  constructor(message: string, options: { position?: FeedErrorPosition; cause?: unknown } = {}) {
    const position = options.position ?? {};
    super(`${message}${describePosition(position)}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.position = position;
  }
}

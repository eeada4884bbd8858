import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';

/** Keeps the last lines a child process printed, so a failure can show why it happened. */
export class OutputTail {
  readonly #lines: string[] = [];

  constructor(private readonly limit = 40) {}

  push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.limit) this.#lines.shift();
  }

  /** The kept lines, indented for embedding in an error message, or a note that there were none. */
  format(): string {
    return this.#lines.length === 0 ? '  (no output)' : this.#lines.map((line) => `  ${line}`).join('\n');
  }
}

/** Calls `onLine` for every line of `stream` (which may be absent when the stream was not piped). */
export function forEachLine(stream: Readable | null, onLine: (line: string) => void): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}

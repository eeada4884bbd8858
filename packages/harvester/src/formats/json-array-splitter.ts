import { FeedParseError } from './errors.js';
import { DEFAULT_MAX_RECORD_CHARS } from './feed-record.js';

/** One element of the record array, still as JSON text. */
export interface JsonElement {
  text: string; // empty when oversized
  line: number; // 1-based line where the element starts
  index: number; // 0-based index within the array
  path: string; // e.g. "products[3]", or "[3]" for a top-level array
  oversized: boolean; // larger than the limit, so its text was not kept
}

export interface SplitterOptions {
  /** Dotted key path of the array ("products", "data.items"); "" for a top-level array. Default: auto. */
  arrayPath?: string;
  /** Elements longer than this many characters are reported as oversized instead of kept. */
  maxElementChars?: number;
}

/** Top-level keys searched, in order, when no array path is configured. */
export const DEFAULT_ARRAY_KEYS: readonly string[] = ['products', 'items', 'offers', 'data', 'records', 'entries'];

interface Frame { kind: 'object' | 'array'; key: string | undefined; expectKey: boolean; line: number }
interface Capture { from: number; parts: string[]; size: number; line: number; kind: 'container' | 'string' | 'scalar' }

const WHITESPACE = new Set([0x20, 0x09, 0x0d, 0x0a]);
const STRING_STOP = /["\\]/g;

/**
 * Finds the record array in a JSON document streamed as text and hands out its
 * elements one at a time, so a 1 GB feed never has to fit in memory. It tracks
 * strings, escapes and nesting depth only; each element is later checked by
 * JSON.parse on its own.
 */
export class JsonArraySplitter {
  private readonly segments: string[] | undefined;
  private readonly maxElementChars: number;
  private readonly stack: Frame[] = [];
  private line = 1;
  private inString = false;
  private escaped = false;
  private stringLine = 0;
  private keyParts: string[] | undefined;
  private keyFrom = 0;
  private started = false;
  private rootClosed = false;
  private targetDepth = -1;
  private targetPath = '';
  private targetFound = false;
  private capture: Capture | undefined;
  private index = 0;
  private readonly out: JsonElement[] = [];
  private failure: Error | undefined;

  constructor(options: SplitterOptions = {}) {
    this.segments = options.arrayPath === undefined ? undefined : options.arrayPath.split('.').filter((s) => s !== '');
    this.maxElementChars = options.maxElementChars ?? DEFAULT_MAX_RECORD_CHARS;
  }

  /** Consumes a chunk, returning the elements it completed; a fatal error is thrown by the next call. */
  push(chunk: string): JsonElement[] {
    if (this.failure) throw this.failure;
    try {
      this.scan(chunk);
    } catch (error) {
      this.failure = error as Error;
    }
    return this.out.splice(0);
  }

  private scan(chunk: string): void {
    let i = 0;
    const length = chunk.length;
    while (i < length) {
      if (this.inString) {
        i = this.scanString(chunk, i);
        continue;
      }
      const code = chunk.charCodeAt(i);
      if (WHITESPACE.has(code)) {
        if (code === 0x0a) this.line++;
        this.endScalar(chunk, i);
        i++;
        continue;
      }
      if (this.rootClosed) {
        throw this.error('Unexpected content after the end of the JSON document (is this JSON Lines? use the jsonl format)');
      }
      const top = this.stack[this.stack.length - 1];
      if (!this.started && code !== 0x7b && code !== 0x5b) {
        throw this.error(`Not a JSON array or object: the document starts with "${chunk.slice(i, i + 20)}"`);
      }
      this.started = true;
      switch (code) {
        case 0x22: // "
          this.inString = true;
          this.stringLine = this.line;
          if (top?.kind === 'object' && top.expectKey && this.targetDepth < 0 && this.wantsKeys()) {
            this.keyParts = [];
            this.keyFrom = i;
          } else {
            this.startCapture(i, 'string');
          }
          break;
        case 0x7b: // {
        case 0x5b: { // [
          this.startCapture(i, 'container');
          const isTarget = code === 0x5b && !this.targetFound && this.targetDepth < 0 && this.matchesTarget();
          this.stack.push({ kind: code === 0x7b ? 'object' : 'array', key: undefined, expectKey: code === 0x7b, line: this.line });
          if (isTarget) {
            this.targetFound = true;
            this.targetDepth = this.stack.length;
            this.targetPath = this.stack.slice(0, -1).map((frame) => frame.key).join('.');
          }
          break;
        }
        case 0x7d: // }
        case 0x5d: // ]
          this.endScalar(chunk, i);
          this.close(code === 0x7d ? 'object' : 'array', chunk, i);
          break;
        case 0x3a: // :
          if (top) top.expectKey = false;
          break;
        case 0x2c: // ,
          this.endScalar(chunk, i);
          if (top?.kind === 'object') top.expectKey = true;
          break;
        default:
          this.startCapture(i, 'scalar');
      }
      i++; // every structural character is one character long
    }
    if (this.capture) this.keepPart(chunk.slice(this.capture.from));
    if (this.keyParts) {
      this.keyParts.push(chunk.slice(this.keyFrom));
      this.keyFrom = 0;
    }
  }

  /** Checks that the document ended where it should; returns any last element. */
  end(): JsonElement[] {
    if (this.failure) throw this.failure;
    this.endScalar('', 0);
    if (this.inString) throw this.error(`Unexpected end of JSON: the string opened at line ${this.stringLine} is not closed`);
    const open = this.stack[this.stack.length - 1];
    if (open) throw this.error(`Unexpected end of JSON: the ${open.kind} opened at line ${open.line} is not closed (truncated file?)`);
    if (!this.started) throw this.error('The JSON document is empty');
    if (!this.targetFound) {
      const where = this.segments === undefined
        ? `a top-level array or an object with an array under one of: ${DEFAULT_ARRAY_KEYS.join(', ')}`
        : `an array at "${this.segments.join('.')}"`;
      throw this.error(`No array of records found: expected ${where}; set arrayPath to where the records are`);
    }
    return this.out.splice(0);
  }

  private error(message: string): FeedParseError {
    return new FeedParseError(message, { position: { line: this.line } });
  }

  private wantsKeys(): boolean {
    return this.stack.length <= (this.segments?.length ?? 1);
  }

  private matchesTarget(): boolean {
    if (this.segments === undefined) {
      return this.stack.length === 0 || (this.stack.length === 1 && DEFAULT_ARRAY_KEYS.includes(this.stack[0]?.key ?? ''));
    }
    const segments = this.segments;
    return this.stack.length === segments.length && this.stack.every((f, k) => f.kind === 'object' && f.key === segments[k]);
  }

  private scanString(chunk: string, from: number): number {
    // An escape that ended the previous chunk swallows this chunk's first character.
    STRING_STOP.lastIndex = this.escaped ? from + 1 : from;
    this.escaped = false;
    for (;;) {
      const match = STRING_STOP.exec(chunk);
      if (match === null) return chunk.length;
      if (match[0] === '\\') {
        if (match.index + 1 >= chunk.length) {
          this.escaped = true;
          return chunk.length;
        }
        STRING_STOP.lastIndex = match.index + 2;
        continue;
      }
      const after = match.index + 1;
      this.inString = false;
      if (this.keyParts) {
        this.keyParts.push(chunk.slice(this.keyFrom, after));
        const top = this.stack[this.stack.length - 1];
        const raw = this.keyParts.join('');
        try {
          if (top) top.key = String(JSON.parse(raw));
        } catch {
          throw this.error(`Invalid object key ${raw.slice(0, 60)}`);
        }
        this.keyParts = undefined;
      } else if (this.capture?.kind === 'string' && this.stack.length === this.targetDepth) {
        this.finish(chunk, after);
      }
      return after;
    }
  }

  private close(kind: Frame['kind'], chunk: string, i: number): void {
    const frame = this.stack.pop();
    const found = kind === 'object' ? '}' : ']';
    if (frame === undefined) throw this.error(`Unexpected "${found}"`);
    if (frame.kind !== kind) throw this.error(`Unexpected "${found}": the ${frame.kind} opened at line ${frame.line} is still open`);
    if (this.stack.length + 1 === this.targetDepth) {
      this.targetDepth = -1;
    } else if (this.capture?.kind === 'container' && this.stack.length === this.targetDepth) {
      this.finish(chunk, i + 1);
    }
    if (this.stack.length === 0) this.rootClosed = true;
  }

  private startCapture(from: number, kind: Capture['kind']): void {
    if (this.capture === undefined && this.targetDepth >= 0 && this.stack.length === this.targetDepth) {
      this.capture = { from, parts: [], size: 0, line: this.line, kind };
    }
  }

  private endScalar(chunk: string, i: number): void {
    if (this.capture?.kind === 'scalar' && this.stack.length === this.targetDepth) this.finish(chunk, i);
  }

  private keepPart(part: string): void {
    const capture = this.capture;
    if (capture === undefined) return;
    capture.size += part.length;
    // Past the limit, stop keeping text but keep counting so the element is still reported.
    if (capture.size <= this.maxElementChars) capture.parts.push(part);
    else capture.parts = [];
    capture.from = 0;
  }

  private finish(chunk: string, end: number): void {
    const capture = this.capture;
    if (!capture) return;
    this.keepPart(chunk.slice(capture.from, end));
    const oversized = capture.size > this.maxElementChars;
    const index = this.index++;
    const text = oversized ? '' : capture.parts.join('');
    this.out.push({ text, line: capture.line, index, path: `${this.targetPath}[${index}]`, oversized });
    this.capture = undefined;
  }
}

import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fingerprint } from '../formats/fingerprint.js';
import { IdFilter } from './id-filter.js';

/** Entries in the table of recent ids before they are written out as a sorted run. */
const RECENT_ENTRIES = 1 << 15;
/** A run on disk is found into through the first hash of every this many entries, kept in memory. */
const FENCE_EVERY = 256;
/** Entries read or written per call while runs are merged or the filter is rebuilt. */
const STREAM_ENTRIES = 8192;
/** Bytes per entry on disk: first hash, second hash, record. */
const ENTRY_BYTES = 12;

interface Run {
  path: string;
  count: number;
  /** The first hash of entries 0, FENCE_EVERY, 2 * FENCE_EVERY, … */
  fences: Uint32Array;
}

/**
 * Remembers which external ids a feed has already produced, and at which
 * record, in 2 to 4 bytes of memory per id (the filter) plus 1.3 MB: the ids
 * themselves go to files, so the worker's memory hardly grows with the feed.
 * (Kept in memory as hashes and records, a million ids took 12 MB, ten million 120 MB.)
 *
 * An id is kept as two independent 32-bit hashes (64 bits together), so two
 * different ids are mistaken for the same one with a probability of about
 * n²/2⁶⁵ — around 3 in 100 million for a feed of a million products.
 *
 * New ids go to a small open-addressing table. When it is half full, its
 * entries are sorted by first hash and written to a file as a run; runs of
 * equal size are merged, so a million ids stand in at most five. A filter in
 * memory (`IdFilter`) says which ids cannot be in any run: only about one new
 * id in a thousand, and each real repeat, costs a look into the runs, one read
 * of 3 KiB per run.
 *
 * The files live in `dir` (the harvest run's staging directory, removed with
 * it) and are removed by `clear()`. No file is held open between calls.
 */
export class SeenIds {
  readonly #hashes: (id: string) => [number, number];
  readonly #dir: string;
  readonly #name = randomUUID();
  // Recent ids: open addressing over a power of two of at least twice the limit; record 0 marks an empty slot.
  readonly #recentLimit: number;
  readonly #slotBits: number;
  readonly #r1: Uint32Array;
  readonly #r2: Uint32Array;
  readonly #rRecord: Uint32Array;
  /** Sort keys of the recent entries: first hash * 2^slotBits + slot, exact in a double. */
  readonly #keys: Float64Array;
  #recent = 0;
  // Runs on disk, oldest (and largest) first.
  #runs: Run[] = [];
  #written = 0;
  #files = 0;
  #filter = new IdFilter(0);
  // Buffers for the entries of a run being written, merged or read.
  readonly #out = new Uint32Array(STREAM_ENTRIES * 3);
  readonly #left = new Uint32Array(STREAM_ENTRIES * 3);
  readonly #right = new Uint32Array(STREAM_ENTRIES * 3);

  constructor(options: { dir?: string; recentEntries?: number; hashes?: (id: string) => [number, number] } = {}) {
    this.#dir = options.dir ?? tmpdir();
    this.#recentLimit = options.recentEntries ?? RECENT_ENTRIES;
    this.#slotBits = Math.ceil(Math.log2(Math.max(2, this.#recentLimit * 2)));
    if (this.#slotBits > 21) throw new RangeError(`recentEntries ${this.#recentLimit} is more than a sort key can hold`);
    const slots = 1 << this.#slotBits;
    this.#r1 = new Uint32Array(slots);
    this.#r2 = new Uint32Array(slots);
    this.#rRecord = new Uint32Array(slots);
    this.#keys = new Float64Array(this.#recentLimit);
    this.#hashes = options.hashes ?? hashes;
  }

  get size(): number {
    return this.#written + this.#recent;
  }

  /** Bytes of memory held now, files not counted. */
  get memoryBytes(): number {
    const arrays = [this.#r1, this.#r2, this.#rRecord, this.#keys, this.#out, this.#left, this.#right, ...this.#runs.map((run) => run.fences)];
    return arrays.reduce((sum, array) => sum + array.byteLength, this.#filter.bytes);
  }

  /** Forgets every id and removes the files. */
  clear(): void {
    for (const run of this.#runs) rmSync(run.path, { force: true });
    this.#runs = [];
    this.#written = 0;
    this.#recent = 0;
    this.#rRecord.fill(0);
    this.#filter = new IdFilter(0);
  }

  /** Records `id` as seen at `record` (1-based); returns the earlier record if it was seen before. */
  firstSeen(id: string, record: number): number | undefined {
    const [a, b] = this.#hashes(id);
    const slot = this.#findRecent(a, b);
    if (this.#rRecord[slot] !== 0) return this.#rRecord[slot];
    if (this.#filter.mayHold(a, b)) {
      const earlier = this.#findInRuns(a, b);
      if (earlier !== undefined) return earlier;
    }
    this.#r1[slot] = a;
    this.#r2[slot] = b;
    this.#rRecord[slot] = record;
    if (++this.#recent === this.#recentLimit) this.#flush();
    return undefined;
  }

  #findRecent(a: number, b: number): number {
    const mask = this.#rRecord.length - 1;
    let slot = (a ^ (b >>> 7)) & mask;
    while (this.#rRecord[slot] !== 0 && (this.#r1[slot] !== a || this.#r2[slot] !== b)) slot = (slot + 1) & mask;
    return slot;
  }

  #findInRuns(a: number, b: number): number | undefined {
    const block = this.#left.subarray(0, FENCE_EVERY * 3);
    for (const run of this.#runs) {
      // Entries with first hash `a` start in the last block that begins below it, or in the next one.
      let low = 0;
      let high = run.fences.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (run.fences[middle]! < a) low = middle + 1;
        else high = middle;
      }
      const fd = openSync(run.path, 'r');
      try {
        for (let first = Math.max(0, low - 1) * FENCE_EVERY; first < run.count; first += FENCE_EVERY) {
          const entries = readEntries(fd, block, first, Math.min(FENCE_EVERY, run.count - first));
          let i = 0;
          for (; i < entries && block[i * 3]! <= a; i++) {
            if (block[i * 3] === a && block[i * 3 + 1] === b) return block[i * 3 + 2];
          }
          if (i < entries) break;
        }
      } finally {
        closeSync(fd);
      }
    }
    return undefined;
  }

  // Writes the recent entries, sorted by first hash, as a new run; then merges runs of equal size.
  #flush(): void {
    const keys = this.#keys;
    const scale = 2 ** this.#slotBits;
    let n = 0;
    for (let slot = 0; slot < this.#rRecord.length; slot++) if (this.#rRecord[slot] !== 0) keys[n++] = this.#r1[slot]! * scale + slot;
    const sorted = keys.subarray(0, n).sort();
    // The filter takes the new ids as they are written, unless it must grow: then it is filled from the runs.
    const fits = this.#filter.capacity >= this.#written + n;
    const run = this.#newRun(n);
    const writer = new RunWriter(run, this.#out);
    try {
      for (let i = 0; i < n; i++) {
        const slot = sorted[i]! % scale;
        writer.push(this.#r1[slot]!, this.#r2[slot]!, this.#rRecord[slot]!);
        if (fits) this.#filter.add(this.#r1[slot]!, this.#r2[slot]!);
      }
      writer.finish();
    } finally {
      writer.close();
    }
    this.#runs.push(run);
    this.#written += n;
    this.#recent = 0;
    this.#rRecord.fill(0);
    if (!fits) this.#rebuildFilter();
    while (this.#runs.length >= 2 && this.#runs[this.#runs.length - 2]!.count <= this.#runs[this.#runs.length - 1]!.count) this.#mergeLastTwo();
  }

  #newRun(count: number): Run {
    return { path: join(this.#dir, `seen-ids-${this.#name}-${this.#files++}`), count, fences: new Uint32Array(Math.ceil(count / FENCE_EVERY)) };
  }

  // A filter twice as large as the ids written need, filled again from the runs.
  #rebuildFilter(): void {
    this.#filter = new IdFilter(Math.max(2 * this.#written, this.#recentLimit * 2));
    for (const run of this.#runs) {
      const reader = new RunReader(run, this.#left);
      try {
        for (; !reader.done; reader.next()) this.#filter.add(reader.first, reader.second);
      } finally {
        reader.close();
      }
    }
  }

  // Merges the two newest runs into one, streaming both files.
  #mergeLastTwo(): void {
    const right = this.#runs.pop()!;
    const left = this.#runs.pop()!;
    const merged = this.#newRun(left.count + right.count);
    let l: RunReader | undefined;
    let r: RunReader | undefined;
    let out: RunWriter | undefined;
    try {
      l = new RunReader(left, this.#left);
      r = new RunReader(right, this.#right);
      out = new RunWriter(merged, this.#out);
      while (!l.done || !r.done) {
        // Equal first hashes may stand in either order: a search looks at all of them.
        const from = r.done || (!l.done && l.first <= r.first) ? l : r;
        out.push(from.first, from.second, from.record);
        from.next();
      }
      out.finish();
    } finally {
      l?.close();
      r?.close();
      out?.close();
    }
    rmSync(left.path, { force: true });
    rmSync(right.path, { force: true });
    this.#runs.push(merged);
  }
}

/** Reads a run's entries in order, a buffer at a time. */
class RunReader {
  readonly #fd: number;
  readonly #count: number;
  readonly #buffer: Uint32Array;
  #next = 0;
  #at = 0;
  #loaded = 0;

  constructor(run: Run, buffer: Uint32Array) {
    this.#fd = openSync(run.path, 'r');
    this.#count = run.count;
    this.#buffer = buffer;
    this.#load();
  }

  get done(): boolean {
    return this.#at === this.#loaded;
  }

  get first(): number {
    return this.#buffer[this.#at * 3]!;
  }

  get second(): number {
    return this.#buffer[this.#at * 3 + 1]!;
  }

  get record(): number {
    return this.#buffer[this.#at * 3 + 2]!;
  }

  next(): void {
    if (++this.#at === this.#loaded) this.#load();
  }

  close(): void {
    closeSync(this.#fd);
  }

  #load(): void {
    const entries = Math.min(this.#buffer.length / 3, this.#count - this.#next);
    this.#loaded = entries > 0 ? readEntries(this.#fd, this.#buffer, this.#next, entries) : 0;
    this.#next += this.#loaded;
    this.#at = 0;
  }
}

/** Writes a run's entries in order, a buffer at a time, and notes its fences. */
class RunWriter {
  readonly #fd: number;
  readonly #fences: Uint32Array;
  readonly #buffer: Uint32Array;
  #count = 0;
  #buffered = 0;

  constructor(run: Run, buffer: Uint32Array) {
    this.#fd = openSync(run.path, 'w');
    this.#fences = run.fences;
    this.#buffer = buffer;
  }

  push(a: number, b: number, record: number): void {
    if (this.#count % FENCE_EVERY === 0) this.#fences[this.#count / FENCE_EVERY] = a;
    this.#count++;
    const at = this.#buffered * 3;
    this.#buffer[at] = a;
    this.#buffer[at + 1] = b;
    this.#buffer[at + 2] = record;
    if (++this.#buffered === this.#buffer.length / 3) this.finish();
  }

  /** Writes what is buffered. */
  finish(): void {
    const view = new Uint8Array(this.#buffer.buffer, this.#buffer.byteOffset, this.#buffered * ENTRY_BYTES);
    for (let done = 0; done < view.length; ) done += writeSync(this.#fd, view, done, view.length - done);
    this.#buffered = 0;
  }

  close(): void {
    closeSync(this.#fd);
  }
}

function readEntries(fd: number, into: Uint32Array, first: number, entries: number): number {
  const bytes = entries * ENTRY_BYTES;
  const view = new Uint8Array(into.buffer, into.byteOffset, bytes);
  let done = 0;
  while (done < bytes) {
    const read = readSync(fd, view, done, bytes - done, first * ENTRY_BYTES + done);
    if (read === 0) throw new Error(`the seen-ids file ended ${bytes - done} bytes early`);
    done += read;
  }
  return entries;
}

const fingerprint = new Fingerprint();
const hashes = (id: string): [number, number] => fingerprint.reset().add(id).lanes();

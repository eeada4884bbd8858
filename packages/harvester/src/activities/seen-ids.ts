import { Fingerprint } from '../formats/fingerprint.js';

/** Entries in the small table of recent ids before they are merged into the sorted ones. */
const RECENT_ENTRIES = 1 << 15;
/** The sorted ids are found through a directory of the top 16 bits of their first hash. */
const DIRECTORY_BITS = 16;
/** Address space reserved for the sorted ids at first: 16M ids. Past it they move to a larger reservation. */
const RESERVED_ENTRIES = 1 << 24;

/**
 * Remembers which external ids a feed has already produced, and at which
 * record, in 12 bytes per id plus about 1.5 MB: a Map of a million id strings
 * costs well over 100 MB of worker memory, and a hash table kept half empty,
 * doubled as it fills, twice as much as needed with a spike at each doubling.
 *
 * An id is kept as two independent 32-bit hashes (64 bits together), so two
 * different ids are mistaken for the same one with a probability of about
 * n²/2⁶⁵ — around 3 in 100 million for a feed of a million products.
 *
 * New ids go to a small open-addressing table; when it is half full its
 * entries are sorted and merged, from the back, into one array sorted by the
 * first hash. That array lives in a resizable ArrayBuffer, so growing it
 * commits memory in place instead of copying into a new array twice the size.
 */
export class SeenIds {
  readonly #hashes: (id: string) => [number, number];
  // Recent ids: open addressing over RECENT_ENTRIES * 2 slots; record 0 marks an empty slot.
  readonly #recentLimit: number;
  readonly #r1: Uint32Array;
  readonly #r2: Uint32Array;
  readonly #rRecord: Uint32Array;
  readonly #order: Uint32Array;
  #recent = 0;
  // Sorted ids: [h1, h2, record] triples in ascending h1; #directory[b] is the first with h1 >>> 16 >= b.
  #buffer: ArrayBuffer;
  #sorted: Uint32Array;
  #count = 0;
  readonly #directory = new Uint32Array((1 << DIRECTORY_BITS) + 1);
  readonly #before = new Uint32Array(1 << DIRECTORY_BITS);

  constructor(options: { recentEntries?: number; reservedEntries?: number; hashes?: (id: string) => [number, number] } = {}) {
    this.#recentLimit = options.recentEntries ?? RECENT_ENTRIES;
    const slots = 1 << Math.ceil(Math.log2(Math.max(2, this.#recentLimit * 2)));
    this.#r1 = new Uint32Array(slots);
    this.#r2 = new Uint32Array(slots);
    this.#rRecord = new Uint32Array(slots);
    this.#order = new Uint32Array(this.#recentLimit);
    this.#hashes = options.hashes ?? hashes;
    this.#buffer = new ArrayBuffer(0, { maxByteLength: (options.reservedEntries ?? RESERVED_ENTRIES) * 12 });
    this.#sorted = new Uint32Array(this.#buffer);
  }

  get size(): number {
    return this.#count + this.#recent;
  }

  /** Forgets every id, and gives the sorted ones' memory back now rather than at a later garbage collection. */
  clear(): void {
    this.#buffer.resize(0);
    this.#count = 0;
    this.#recent = 0;
    this.#rRecord.fill(0);
    this.#directory.fill(0);
  }

  /** Records `id` as seen at `record` (1-based); returns the earlier record if it was seen before. */
  firstSeen(id: string, record: number): number | undefined {
    const [a, b] = this.#hashes(id);
    const slot = this.#findRecent(a, b);
    if (this.#rRecord[slot] !== 0) return this.#rRecord[slot];
    const earlier = this.#findSorted(a, b);
    if (earlier !== undefined) return earlier;
    this.#r1[slot] = a;
    this.#r2[slot] = b;
    this.#rRecord[slot] = record;
    if (++this.#recent === this.#recentLimit) this.#merge();
    return undefined;
  }

  #findRecent(a: number, b: number): number {
    const mask = this.#rRecord.length - 1;
    let slot = (a ^ (b >>> 7)) & mask;
    while (this.#rRecord[slot] !== 0 && (this.#r1[slot] !== a || this.#r2[slot] !== b)) slot = (slot + 1) & mask;
    return slot;
  }

  #findSorted(a: number, b: number): number | undefined {
    const sorted = this.#sorted;
    for (let i = this.#firstAtLeast(a, this.#count); i < this.#count && sorted[i * 3] === a; i++) {
      if (sorted[i * 3 + 1] === b) return sorted[i * 3 + 2];
    }
    return undefined;
  }

  /** The first of the sorted entries below `end` whose h1 is at least `a`, searched within a's bucket. */
  #firstAtLeast(a: number, end: number): number {
    const sorted = this.#sorted;
    const bucket = bucketOf(a);
    let low = Math.min(this.#directory[bucket]!, end);
    let high = Math.min(this.#directory[bucket + 1]!, end);
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (sorted[middle * 3]! < a) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  // Sorts the recent entries by h1 and merges them into the sorted array from its end, in place.
  #merge(): void {
    // Counting sort of the recent slots by bucket, then insertion sort by h1 (a bucket holds one or two).
    const r1 = this.#r1;
    const order = this.#order;
    const before = this.#before;
    let n = 0;
    for (let slot = 0; slot < r1.length; slot++) if (this.#rRecord[slot] !== 0) before[bucketOf(r1[slot]!)]!++;
    for (let bucket = 0; bucket < before.length; bucket++) {
      n += before[bucket]!;
      before[bucket] = n;
    }
    for (let slot = r1.length - 1; slot >= 0; slot--) if (this.#rRecord[slot] !== 0) order[--before[bucketOf(r1[slot]!)]!] = slot;
    // `before[b]` is now the number of new entries in the buckets below b.
    for (let i = 1; i < n; i++) {
      const slot = order[i]!;
      let k = i;
      for (; k > 0 && r1[order[k - 1]!]! > r1[slot]!; k--) order[k] = order[k - 1]!;
      order[k] = slot;
    }
    this.#reserve(this.#count + n);
    const sorted = this.#sorted;
    // Working back from the largest new entry: the sorted entries above it move up by the number of new
    // entries still to place, one block at a time.
    let end = this.#count;
    for (let j = n - 1; j >= 0; j--) {
      const slot = order[j]!;
      const a = r1[slot]!;
      // Entries with the same h1 may stand in any order: the search scans all of them.
      const low = this.#firstAtLeast(a, end);
      if (low < end) sorted.copyWithin((low + j + 1) * 3, low * 3, end * 3);
      const to = (low + j) * 3;
      sorted[to] = a;
      sorted[to + 1] = this.#r2[slot]!;
      sorted[to + 2] = this.#rRecord[slot]!;
      end = low;
    }
    this.#count += n;
    this.#recent = 0;
    this.#rRecord.fill(0);
    // Each bucket now starts later by the new entries of the buckets below it.
    for (let bucket = 0; bucket < before.length; bucket++) this.#directory[bucket]! += before[bucket]!;
    this.#directory[before.length]! += n;
    before.fill(0);
  }

  #reserve(entries: number): void {
    const bytes = entries * 12;
    if (bytes > this.#buffer.maxByteLength) {
      // Past the reservation: one copy into a reservation twice as large.
      const larger = new ArrayBuffer(bytes, { maxByteLength: Math.max(bytes, this.#buffer.maxByteLength * 2) });
      new Uint32Array(larger).set(this.#sorted);
      this.#buffer = larger;
      this.#sorted = new Uint32Array(larger);
      return;
    }
    this.#buffer.resize(bytes);
  }
}

const bucketOf = (h1: number): number => h1 >>> (32 - DIRECTORY_BITS);

const fingerprint = new Fingerprint();
const hashes = (id: string): [number, number] => fingerprint.reset().add(id).lanes();

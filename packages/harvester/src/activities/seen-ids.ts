import { Fingerprint } from '../formats/fingerprint.js';

/**
 * Remembers which external ids a feed has already produced, and at which
 * record, in about 12 bytes per id: a Map of a million id strings costs
 * well over 100 MB of worker memory. Ids are kept as two independent 32-bit
 * hashes (64 bits together), so two different ids are mistaken for the same
 * one with a probability of about n²/2⁶⁵ — around 3 in 100 million for a
 * feed of a million products.
 */
export class SeenIds {
  #h1: Uint32Array;
  #h2: Uint32Array;
  #record: Uint32Array; // 0 = empty slot
  #size = 0;

  constructor(initialCapacity = 1 << 16) {
    const capacity = 1 << Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.#h1 = new Uint32Array(capacity);
    this.#h2 = new Uint32Array(capacity);
    this.#record = new Uint32Array(capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** Records `id` as seen at `record` (1-based); returns the earlier record if it was seen before. */
  firstSeen(id: string, record: number): number | undefined {
    if (this.#size * 2 >= this.#record.length) this.#grow();
    const [a, b] = hashes(id);
    const slot = this.#find(a, b);
    const existing = this.#record[slot]!;
    if (existing !== 0) return existing;
    this.#h1[slot] = a;
    this.#h2[slot] = b;
    this.#record[slot] = record;
    this.#size++;
    return undefined;
  }

  #find(a: number, b: number): number {
    const mask = this.#record.length - 1;
    let slot = (a ^ (b >>> 7)) & mask;
    while (this.#record[slot] !== 0 && (this.#h1[slot] !== a || this.#h2[slot] !== b)) slot = (slot + 1) & mask;
    return slot;
  }

  #grow(): void {
    const [h1, h2, record] = [this.#h1, this.#h2, this.#record];
    const capacity = record.length * 2;
    this.#h1 = new Uint32Array(capacity);
    this.#h2 = new Uint32Array(capacity);
    this.#record = new Uint32Array(capacity);
    for (let i = 0; i < record.length; i++) {
      if (record[i] === 0) continue;
      const slot = this.#find(h1[i]!, h2[i]!);
      this.#h1[slot] = h1[i]!;
      this.#h2[slot] = h2[i]!;
      this.#record[slot] = record[i]!;
    }
  }
}

const fingerprint = new Fingerprint();
const hashes = (id: string): [number, number] => fingerprint.reset().add(id).lanes();

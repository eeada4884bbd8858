/** Bits of filter per id it is sized for: about one id in a thousand that is not in it looks as if it were. */
const BITS_PER_ID = 16;
/** Bits set per id, all within one block. */
const PROBES = 8;
/** 512 bits: one block is one cache line, so a look-up costs one miss. */
const BLOCK_WORDS = 16;

/**
 * A blocked Bloom filter over an id's two 32-bit hashes: it says for sure
 * that an id was never added, and only rarely that it was when it was not.
 */
export class IdFilter {
  /** The ids it is sized for; past them, false answers of "maybe" grow more frequent. */
  readonly capacity: number;
  readonly #blocks: number;
  readonly #words: Uint32Array;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#blocks = Math.max(1, Math.ceil((capacity * BITS_PER_ID) / (BLOCK_WORDS * 32)));
    this.#words = new Uint32Array(this.#blocks * BLOCK_WORDS);
  }

  get bytes(): number {
    return this.#words.byteLength;
  }

  add(a: number, b: number): void {
    this.#probe(a, b, true);
  }

  /** False when the id was never added. */
  mayHold(a: number, b: number): boolean {
    return this.#probe(a, b, false);
  }

  // Sets the id's bits, or tells whether they are all set.
  #probe(a: number, b: number, set: boolean): boolean {
    const base = this.#base(b);
    let h = a ^ Math.imul(b, 0x85ebca6b);
    for (let i = 0; i < PROBES; i++) {
      h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
      const bit = h >>> 23;
      const word = base + (bit >>> 5);
      const mask = 1 << (bit & 31);
      if (set) this.#words[word]! |= mask;
      else if ((this.#words[word]! & mask) === 0) return false;
    }
    return true;
  }

  // The block from the second hash's high bits; the bits within it from both hashes, mixed
  // (bits stepped through from the first hash alone mistook twice as many ids for held ones).
  #base(b: number): number {
    return Math.floor(((b >>> 0) / 4294967296) * this.#blocks) * BLOCK_WORDS;
  }
}

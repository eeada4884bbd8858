/**
 * A 64-bit hash of text fed in pieces, for recognizing a record whose source has not changed: two
 * unrelated 32-bit lanes (FNV-1a and a murmur3-style multiply-rotate over UTF-16 code units), each
 * finished with murmur3's avalanche. Nothing is concatenated or encoded first, which is most of what
 * hashing a million records' text with a cryptographic hash costs. Two different sources collide with
 * a probability of about 2⁻⁶⁴: the chance that a change goes unseen. Not for untrusted comparisons
 * across parties: a supplier can only make its own records look unchanged.
 */
export class Fingerprint {
  #a = 0x811c9dc5;
  #b = 0x9747b28c;
  readonly #start: [number, number];

  /** `seed`: text every fingerprint of this instance starts from (what else decides a record's result). */
  constructor(seed?: string) {
    if (seed !== undefined) this.add(seed).mark(15);
    this.#start = [this.#a, this.#b];
  }

  /** Starts over from the seed; returns this. */
  reset(): this {
    [this.#a, this.#b] = this.#start;
    return this;
  }

  /** Adds the code units of `text`. */
  add(text: string): this {
    let a = this.#a;
    let b = this.#b;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      let k = Math.imul(c, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      b ^= Math.imul(k, 0x1b873593);
      b = Math.imul((b << 13) | (b >>> 19), 5) + 0xe6546b64;
    }
    this.#a = a;
    this.#b = b;
    return this;
  }

  /**
   * Adds a separator the pieces cannot contain (a value outside UTF-16's code units), so that "ab" + "c"
   * and "a" + "bc" differ.
   */
  mark(kind: number): this {
    const c = 0x10000 + kind;
    this.#a = Math.imul(this.#a ^ c, 0x01000193);
    this.#b = Math.imul(this.#b ^ Math.imul(c, 0xcc9e2d51), 0x1b873593);
    return this;
  }

  /** The two lanes, finished. */
  lanes(): [number, number] {
    return [avalanche(this.#a ^ Math.imul(this.#b, 0x85ebca6b)), avalanche(this.#b ^ this.#a)];
  }

  /** The hash as 16 hex digits. */
  digest(): string {
    const [a, b] = this.lanes();
    // One flat string from char codes: toString(16) and padding cost more than the hashing.
    return String.fromCharCode(
      HEX[a >>> 28]!, HEX[(a >>> 24) & 15]!, HEX[(a >>> 20) & 15]!, HEX[(a >>> 16) & 15]!,
      HEX[(a >>> 12) & 15]!, HEX[(a >>> 8) & 15]!, HEX[(a >>> 4) & 15]!, HEX[a & 15]!,
      HEX[b >>> 28]!, HEX[(b >>> 24) & 15]!, HEX[(b >>> 20) & 15]!, HEX[(b >>> 16) & 15]!,
      HEX[(b >>> 12) & 15]!, HEX[(b >>> 8) & 15]!, HEX[(b >>> 4) & 15]!, HEX[b & 15]!,
    );
  }
}

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const HEX = Uint8Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));

/**
 * A 64-bit hash of text fed in pieces, for recognizing a record whose source has not changed: two
 * unrelated 32-bit lanes over the text's UTF-16 code units taken two at a time (an xxHash32 round and a
 * murmur3 block), each finished with murmur3's avalanche. Nothing is concatenated or encoded first,
 * which is most of what hashing a million records' text with a cryptographic hash costs. Two different
 * sources collide with a probability of about 2⁻⁶⁴: the chance that a change goes unseen. Not for
 * untrusted comparisons across parties: a supplier can only make its own records look unchanged.
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

  /** Adds the code units of `text` (a piece: "ab" added at once differs from "a" then "b"). */
  add(text: string): this {
    let a = this.#a;
    let b = this.#b;
    const pairs = text.length & ~1;
    for (let i = 0; i < pairs; i += 2) {
      const word = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
      a = Math.imul(rotate(a + Math.imul(word, 0x85ebca77), 13), 0x9e3779b1);
      b = mixBlock(b, word);
    }
    if (pairs !== text.length) {
      // The odd unit last, mixed unlike a pair: "x" and "x" followed by any unit differ.
      const unit = text.charCodeAt(pairs);
      a = Math.imul(rotate(a + Math.imul(unit, 0x165667b1), 11), 0x27d4eb2f);
      b = mixBlock(b ^ 0x2f3c4d5e, unit);
    }
    this.#a = a;
    this.#b = b;
    return this;
  }

  /**
   * Adds a separator, mixed unlike any code units, so that "ab" + "c" and "a" + "bc" differ.
   */
  mark(kind: number): this {
    this.#a = Math.imul(rotate(this.#a + Math.imul(kind + 1, 0xc2b2ae3d), 17), 0x9e3779b1);
    this.#b = mixBlock(this.#b ^ 0x5bd1e995, kind);
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

function rotate(x: number, bits: number): number {
  return (x << bits) | (x >>> (32 - bits));
}

/** murmur3's step for one 32-bit block. */
function mixBlock(h: number, block: number): number {
  let k = Math.imul(block, 0xcc9e2d51);
  k = rotate(k, 15);
  h ^= Math.imul(k, 0x1b873593);
  return Math.imul(rotate(h, 13), 5) + 0xe6546b64;
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

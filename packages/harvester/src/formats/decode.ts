import iconv from 'iconv-lite';
import { FeedParseError } from './errors.js';

/**
 * Byte-to-text decoding for staged feeds.
 *
 * The encoding is chosen in this order: a byte order mark (the strongest evidence
 * there is), the supplier's configured encoding, the XML declaration's
 * `encoding="..."` (read from the first bytes), then UTF-8.
 *
 * Invalid UTF-8 does not stop decoding: each bad sequence becomes U+FFFD, and
 * `validateRecord` rejects any record whose text contains U+FFFD, naming the field
 * and suggesting the encoding option. One corrupt description then costs one
 * reported record instead of the whole feed, and mojibake is never stored. A U+FFFD
 * that was literally in the feed is flagged the same way: the text was damaged upstream.
 */

export type EncodingSource = 'bom' | 'configured' | 'xml-declaration' | 'default';

export interface EncodingDetection {
  /** An encoding name iconv-lite understands, e.g. "utf-8", "windows-1251". */
  encoding: string;
  source: EncodingSource;
  /** Bytes of byte order mark to skip before decoding. */
  bomLength: number;
}

/** Decoding options; every parser's options include them. */
export interface DecodeOptions {
  /** Encoding configured for the supplier; a byte order mark still wins over it. */
  encoding?: string;
  /** Told which encoding was chosen and why, before the first text is produced. */
  onDetect?: (detection: EncodingDetection) => void;
}

// Enough for a BOM and any reasonable XML declaration.
const PEEK_BYTES = 1024;
const XML_DECLARATION = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/;

function requireKnownEncoding(name: string, where: string): string {
  if (!iconv.encodingExists(name)) {
    throw new FeedParseError(
      `Unknown encoding "${name}" (${where}); use a name such as utf-8, windows-1251, koi8-r, iso-8859-1 or utf-16le`,
    );
  }
  return name.toLowerCase();
}

function detectBom(head: Uint8Array): EncodingDetection | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', source: 'bom', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', source: 'bom', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', source: 'bom', bomLength: 2 };
  return undefined;
}

function detectXmlDeclaration(head: Uint8Array): EncodingDetection | undefined {
  // UTF-16 without a BOM shows itself by the zero bytes around "<?".
  if (head[0] === 0x3c && head[1] === 0x00 && head[2] === 0x3f && head[3] === 0x00) {
    return { encoding: 'utf-16le', source: 'xml-declaration', bomLength: 0 };
  }
  if (head[0] === 0x00 && head[1] === 0x3c && head[2] === 0x00 && head[3] === 0x3f) {
    return { encoding: 'utf-16be', source: 'xml-declaration', bomLength: 0 };
  }
  const declared = XML_DECLARATION.exec(Buffer.from(head).toString('latin1'))?.[1];
  if (declared === undefined) return undefined;
  // The declaration was readable as single bytes, so a "UTF-16" label is wrong; UTF-8 is the safe reading.
  if (/^utf-?16/i.test(declared)) return { encoding: 'utf-8', source: 'xml-declaration', bomLength: 0 };
  return {
    encoding: requireKnownEncoding(declared, 'from the XML declaration'),
    source: 'xml-declaration',
    bomLength: 0,
  };
}

/** Chooses the encoding from the first bytes of a feed and the configured encoding. */
export function detectEncoding(head: Uint8Array, configured?: string): EncodingDetection {
  const bom = detectBom(head);
  if (bom) return bom;
  if (configured !== undefined && configured.trim() !== '') {
    return {
      encoding: requireKnownEncoding(configured.trim(), 'configured for the supplier'),
      source: 'configured',
      bomLength: 0,
    };
  }
  return detectXmlDeclaration(head) ?? { encoding: 'utf-8', source: 'default', bomLength: 0 };
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new FeedParseError(`Feed stream produced a ${typeof chunk} chunk; expected bytes`);
}

/**
 * Decodes a byte stream (a staged feed file) into text chunks, streaming: only the
 * first kilobyte is held back to detect the encoding.
 */
export async function* decodeFeed(
  input: AsyncIterable<unknown>,
  options: DecodeOptions = {},
): AsyncGenerator<string, void, undefined> {
  const iterator = input[Symbol.asyncIterator]();
  try {
    yield* decodeFrom(iterator, options);
  } finally {
    // A consumer that stops early must not leave the file stream open.
    await iterator.return?.();
  }
}

async function* decodeFrom(
  iterator: AsyncIterator<unknown>,
  options: DecodeOptions,
): AsyncGenerator<string, void, undefined> {
  const peeked: Buffer[] = [];
  let peekedBytes = 0;
  let exhausted = false;
  while (peekedBytes < PEEK_BYTES) {
    const next = await iterator.next();
    if (next.done === true) {
      exhausted = true;
      break;
    }
    const chunk = toBuffer(next.value);
    peeked.push(chunk);
    peekedBytes += chunk.length;
  }
  const head = Buffer.concat(peeked);
  const detection = detectEncoding(head, options.encoding);
  options.onDetect?.(detection);

  // The BOM was consumed above, so the decoder must not strip a second U+FEFF.
  const decoder = iconv.getDecoder(detection.encoding, { stripBOM: false });
  const first = decoder.write(head.subarray(detection.bomLength));
  if (first !== '') yield first;
  if (!exhausted) {
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
      const text = decoder.write(toBuffer(next.value));
      if (text !== '') yield text;
    }
  }
  const rest = decoder.end();
  if (rest !== undefined && rest !== '') yield rest;
}

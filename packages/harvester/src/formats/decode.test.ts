import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeFeed, detectEncoding } from './decode.js';
import type { EncodingDetection } from './decode.js';
import { FeedParseError } from './errors.js';

async function decode(chunks: Buffer[], encoding?: string): Promise<{ text: string; detection?: EncodingDetection }> {
  let detection: EncodingDetection | undefined;
  let text = '';
  const options = { onDetect: (d: EncodingDetection) => (detection = d), ...(encoding ? { encoding } : {}) };
  for await (const piece of decodeFeed(Readable.from(chunks), options)) text += piece;
  return { text, ...(detection ? { detection } : {}) };
}

describe('detectEncoding', () => {
  it('recognizes byte order marks', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toEqual({ encoding: 'utf-8', source: 'bom', bomLength: 3 });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x41, 0x00]))).toMatchObject({ encoding: 'utf-16le', bomLength: 2 });
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0x00, 0x41]))).toMatchObject({ encoding: 'utf-16be', bomLength: 2 });
  });

  it('reads the XML declaration', () => {
    const head = Buffer.from('<?xml version="1.0" encoding="windows-1251"?>\n<yml_catalog/>');
    expect(detectEncoding(head)).toEqual({ encoding: 'windows-1251', source: 'xml-declaration', bomLength: 0 });
    expect(detectEncoding(Buffer.from("<?xml version='1.0' encoding='UTF-8'?><a/>")).encoding).toBe('utf-8');
  });

  it('recognizes UTF-16 XML without a BOM', () => {
    expect(detectEncoding(iconv.encode('<?xml version="1.0"?><a/>', 'utf-16le')).encoding).toBe('utf-16le');
    expect(detectEncoding(iconv.encode('<?xml version="1.0"?><a/>', 'utf-16be')).encoding).toBe('utf-16be');
  });

  it('prefers BOM over configuration over the declaration', () => {
    const declared = Buffer.from('<?xml version="1.0" encoding="windows-1251"?><a/>');
    expect(detectEncoding(declared, 'koi8-r')).toMatchObject({ encoding: 'koi8-r', source: 'configured' });
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), declared]);
    expect(detectEncoding(withBom, 'koi8-r')).toMatchObject({ encoding: 'utf-8', source: 'bom' });
    expect(detectEncoding(Buffer.from('sku,name'))).toMatchObject({ encoding: 'utf-8', source: 'default' });
  });

  it('refuses unknown encodings with a clear message', () => {
    expect(() => detectEncoding(Buffer.from('a'), 'klingon-8')).toThrow(FeedParseError);
    expect(() => detectEncoding(Buffer.from('a'), 'klingon-8')).toThrow(/Unknown encoding "klingon-8" \(configured/);
    expect(() => detectEncoding(Buffer.from('<?xml version="1.0" encoding="nope-1"?>'))).toThrow(/XML declaration/);
  });
});

describe('decodeFeed', () => {
  it('strips a UTF-8 BOM and keeps multi-byte characters split across chunks', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Палатка €5', 'utf8')]);
    const chunks = [...bytes].map((byte) => Buffer.from([byte]));
    const { text, detection } = await decode(chunks);
    expect(text).toBe('Палатка €5');
    expect(detection?.source).toBe('bom');
  });

  it('decodes UTF-16LE with a BOM', async () => {
    const { text } = await decode([Buffer.from([0xff, 0xfe]), iconv.encode('a;б\n', 'utf-16le')]);
    expect(text).toBe('a;б\n');
  });

  it('decodes windows-1251 announced by the XML declaration', async () => {
    const xml = '<?xml version="1.0" encoding="windows-1251"?><name>Спальник</name>';
    const { text, detection } = await decode([iconv.encode(xml, 'windows-1251')]);
    expect(text).toBe(xml);
    expect(detection).toMatchObject({ encoding: 'windows-1251', source: 'xml-declaration' });
  });

  it('decodes a configured encoding past the peeked head', async () => {
    const body = `${'x'.repeat(3000)}Ёлка`;
    const encoded = iconv.encode(body, 'koi8-r');
    const { text } = await decode([encoded.subarray(0, 1500), encoded.subarray(1500)], 'koi8-r');
    expect(text).toBe(body);
  });

  it('turns invalid UTF-8 into U+FFFD instead of failing', async () => {
    const { text } = await decode([Buffer.from([0x61, 0xff, 0xfe, 0x62])]);
    expect(text).toBe('a\uFFFD\uFFFDb');
  });

  it('yields nothing for an empty stream', async () => {
    expect((await decode([])).text).toBe('');
  });
});

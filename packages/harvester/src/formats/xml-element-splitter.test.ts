import { describe, expect, it } from 'vitest';
import { FeedParseError } from './errors.js';
import { XmlElementSplitter } from './xml-element-splitter.js';

interface Cut {
  text: string | undefined;
  startTag: string;
  line: number;
}

interface Split {
  outer: string;
  elements: Cut[];
  /** The outer text handed out before each element, up to its last non-blank character (the blanks before an element may come after it). */
  before: string[];
}

const OFFERS = 'yml_catalog/shop/offers/offer';

function splitChunks(chunks: Iterable<string>, path = OFFERS, maxChars = 1_000_000): Split {
  const result: Split = { outer: '', elements: [], before: [] };
  const splitter = new XmlElementSplitter(
    path,
    {
      outer: (text) => {
        result.outer += text;
      },
      element: (text, startTag, line) => {
        result.elements.push({ text, startTag, line });
        result.before.push(result.outer.trimEnd());
      },
    },
    maxChars,
  );
  for (const chunk of chunks) splitter.write(chunk);
  splitter.end();
  return result;
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let at = 0; at < text.length; at += size) out.push(text.slice(at, at + size));
  return out;
}

const lineBreaks = (text: string): string => text.replace(/[^\n]/g, '');
const lineOf = (text: string, at: number): number => 1 + lineBreaks(text.slice(0, at)).length;
/** What stands in for a cut element in the outer text: a space, then its line breaks. */
const placeholder = (element: string): string => ` ${lineBreaks(element)}`;

/**
 * A document whose cut elements are marked: "⟦" before an element, "‖" after its start tag, "⟧" after it.
 * Returns the document and what splitting it must give.
 */
function marked(source: string): { text: string; expected: Split } {
  const expected: Split = { outer: '', elements: [], before: [] };
  let text = '';
  for (let at = 0; at < source.length; ) {
    const open = source.indexOf('⟦', at);
    if (open === -1) {
      text += source.slice(at);
      expected.outer += source.slice(at);
      break;
    }
    text += source.slice(at, open);
    expected.outer += source.slice(at, open);
    const tagEnd = source.indexOf('‖', open);
    const close = source.indexOf('⟧', tagEnd);
    const startTag = source.slice(open + 1, tagEnd);
    const element = startTag + source.slice(tagEnd + 1, close);
    expected.elements.push({ text: element, startTag, line: lineOf(text, text.length) });
    expected.before.push(expected.outer.trimEnd());
    text += element;
    expected.outer += placeholder(element);
    at = close + 1;
  }
  return { text, expected };
}

const TRICKY = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE yml_catalog SYSTEM "shops.dtd">
<!-- <offer id="comment"> before the root -->
<yml_catalog date="2024-05-01 10:00">
  <shop>
    <offer id="shop-level">not at the path</offer>
    <promos><promo><offer id="in-promo"/><offer>in promo</offer></promo></promos>
    <offers>
      ⟦<offer id="1" available="true">‖<name>Tent</name><price>10</price></offer>⟧
      ⟦<offer id="2"/>‖⟧
      <!-- </offers> <offer id="in-comment"> -->
      <?pi </offers> <offer> ?>
      ⟦<offer id="3" title='a > b "quoted"' note="it's > 'here'" empty="">‖
        <description><![CDATA[</offer> and <offer id="cdata"> inside]]></description>
        <?pi </offer> ?>
        <!-- </offer> -->
        <related a="x>"><offer id="nested">inner <offer/> offer</offer></related>
        <offer><offer>deeper</offer></offer>
        <param name="x">1</param>
      </offer>⟧⟦<offer id="4" >‖same line</offer  >⟧
      ⟦<y:offer xmlns:y="urn:y" id="5">‖<y:name>prefixed</y:name></y:offer>⟧
      ⟦<offer
        id="6"
      >‖multi-line start tag</offer>⟧
    </offers>
    <z:offers xmlns:z="urn:z">⟦<z:offer id="7">‖second offers element</z:offer>⟧⟦<offer id="8"/>‖⟧</z:offers>
    <offers-not><offer id="not-offers"/></offers-not>
  </shop>
</yml_catalog>
<!-- trailing <offer> -->
`;

const VARIANTS: [string, string][] = [
  ['line feeds', TRICKY],
  ['CRLF line endings', TRICKY.replace(/\n/g, '\r\n')],
  ['a single line', TRICKY.replace(/\n */g, ' ')],
];

describe('XmlElementSplitter', () => {
  it.each(VARIANTS)('cuts out the elements at the path as their raw text (%s)', (_, source) => {
    const { text, expected } = marked(source);
    expect(expected.elements.map((element) => /id="(\d)"/.exec(element.startTag)?.[1])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(splitChunks([text])).toEqual(expected);
  });

  it('leaves offers at other paths in the outer text and offers inside an offer in that offer', () => {
    const { outer, elements } = splitChunks([marked(TRICKY).text]);
    expect(outer).toContain('<offer id="shop-level">not at the path</offer>');
    expect(outer).toContain('<promo><offer id="in-promo"/><offer>in promo</offer></promo>');
    expect(outer).toContain('<offers-not><offer id="not-offers"/></offers-not>');
    expect(outer).not.toMatch(/<offer id="(nested|cdata)"/);
    expect(elements[2]?.text).toMatch(/<offer id="nested">inner <offer\/> offer<\/offer><\/related>\n *<offer><offer>deeper<\/offer><\/offer>\n *<param name="x">1<\/param>\n *<\/offer>$/);
  });

  it.each(VARIANTS)('gives the same result for every cut into two chunks (%s)', (_, source) => {
    const { text, expected } = marked(source);
        for (let at = 0; at <= text.length; at++) {
      const got = splitChunks([text.slice(0, at), text.slice(at)]);
      expect({ at, ...got }).toEqual({ at, ...expected });
    }
  });

  it.each(VARIANTS)('gives the same result for one-character chunks (%s)', (_, source) => {
    const { text, expected } = marked(source);
    expect(splitChunks(pieces(text, 1))).toEqual(expected);
  });

  it('cuts random documents as marked, in random chunks and with random limits', () => {
    let seed = 11;
    const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const path = ['r', 's', 'offers', 'offer'];
    const texts = ['t', ' ', '\n', '\r\n', '>', '"', "'", ']]', '&amp;', 'ж', '😀'];
    const markup = ['<!-- <offer> </offers> -->', '<![CDATA[</offer><offer a="]]>', '<?pi </offer> ?>', '<!---->'];
    const attributes = [' a="1"', " b='>'", ' c="it\'s > x"', " d='\"'", '\n e="2"'];
    const element = (above: string[], inside: boolean): string => {
      const depth = above.length;
      const name = depth === 0 ? 'r' : depth < path.length && random() < 0.6 ? `${pick(['', '', 'p:'])}${path[depth]}` : pick(['offer', 'offers', 'p:offer', 'x', 'offerx']);
      const names = [...above, name.slice(name.indexOf(':') + 1)];
      const cut = !inside && names.join('/') === path.join('/');
      let tag = `<${name}`;
      for (let n = Math.floor(random() * 3); n > 0; n--) tag += pick(attributes);
      if ((depth > 0 && random() < 0.2) || depth > 5) return cut ? `⟦${tag}/>‖⟧` : `${tag}/>`;
      tag += pick(['>', ' >', '\n>']);
      let body = '';
      for (let n = Math.floor(random() * (depth < 3 ? 8 : 4)); n > 0; n--) {
        const r = random();
        body += r < 0.4 ? pick(texts) : r < 0.55 ? pick(markup) : element(names, inside || cut);
      }
      const close = `</${name}${pick(['', ' ', '\n'])}>`;
      return cut ? `⟦${tag}‖${body}${close}⟧` : `${tag}${body}${close}`;
    };
    let cuts = 0;
    for (let n = 0; n < 3_000; n++) {
      const { text, expected } = marked(`${pick(['', '<?xml version="1.0"?>\n', '<!DOCTYPE r SYSTEM "r.dtd">'])}${element([], false)}${pick(['', '\n', '<!-- end -->'])}`);
      const maxChars = 40 + Math.floor(random() * 80);
      for (const cut of expected.elements) if ((cut.text as string).length > maxChars) cut.text = undefined;
      const chunks: string[] = [];
      for (let at = 0; at < text.length; ) {
        const size = 1 + Math.floor(random() * 9);
        chunks.push(text.slice(at, at + size));
        at += size;
      }
      expect({ text, maxChars, ...splitChunks(chunks, path.join('/'), maxChars) }).toEqual({ text, maxChars, ...expected });
      cuts += expected.elements.length;
    }
    expect(cuts).toBeGreaterThan(1_000);
  });

  it('numbers each element by the line of its "<", across chunks and after multi-line elements', () => {
    const text = '<a>\n<b><offer id="1">\n\n</offer><offer id="2"/>\n\n<offer id="3"\n>x\n</offer>\n<offer id="4">y</offer>\n</b></a>';
    const lines = [2, 4, 6, 9];
    for (const size of [1, 2, 3, 5, 8, text.length]) {
      const { elements, outer } = splitChunks(pieces(text, size), 'a/b/offer');
      expect({ size, lines: elements.map((element) => element.line) }).toEqual({ size, lines });
      expect(outer).toBe('<a>\n<b> \n\n \n\n \n\n\n \n</b></a>');
    }
  });

  it('keeps the lines of a document with lone carriage returns as a parser counts them', () => {
    const text = '<a>\r<b>\r<offer id="1">\r\r</offer><x/>\r<offer id="2">\r\n</offer>\r\n<offer id="3"/>\r</b>\r</a>';
    const breaks = (of: string): number => of.match(/\r\n|\r|\n/g)?.length ?? 0;
    for (let at = 0; at <= text.length; at++) {
      const { outer, elements } = splitChunks([text.slice(0, at), text.slice(at)], 'a/b/offer');
      expect({ at, breaks: breaks(outer), lines: elements.map((element) => element.line) }).toEqual({ at, breaks: breaks(text), lines: [3, 6, 8] });
    }
  });

  it('hands out text at the path in the order of the document', () => {
    const text = '<a><b>x<offer>1</offer>y<offer>2</offer>z</b></a>';
    const events: string[] = [];
    const splitter = new XmlElementSplitter('a/b/offer', { outer: (t) => events.push(`outer ${t}`), element: (t) => events.push(`element ${t}`) }, 100);
    splitter.write(text);
    splitter.end();
    expect(events).toEqual(['outer <a><b>x', 'element <offer>1</offer>', 'outer  y', 'element <offer>2</offer>', 'outer  z</b></a>']);
  });

  it('treats a name by its local part after ":" only', () => {
    const { elements } = splitChunks(['<p:a xmlns:p="u"><p:b><q:offer id="1"/><offer:x/><xoffer/></p:b></p:a>'], 'a/b/offer');
    expect(elements.map((element) => element.startTag)).toEqual(['<q:offer id="1"/>']);
  });

  describe('gives up', () => {
    const MISMATCHED = '<a>\n<b>\n<offer id="1">x</offer>\n<offer id="2"><name>y</nam></offer>\n<offer id="3"/>\n</b>\n</a>\n';

    it('on a close tag that does not match inside an element: that element and all after it go to outer', () => {
      const from = MISMATCHED.indexOf('<offer id="2"');
      for (let at = 0; at <= MISMATCHED.length; at++) {
        const got = splitChunks([MISMATCHED.slice(0, at), MISMATCHED.slice(at)], 'a/b/offer');
        expect({ at, ...got }).toEqual({
          at,
          outer: `${MISMATCHED.slice(0, MISMATCHED.indexOf('<offer id="1"'))} \n${MISMATCHED.slice(from)}`,
          elements: [{ text: '<offer id="1">x</offer>', startTag: '<offer id="1">', line: 3 }],
          before: ['<a>\n<b>'],
        });
      }
    });

    it('on a close tag that does not match outside the elements', () => {
      const text = '<a><b><offer>1</offer></c><offer>2</offer></b></a>';
      expect(splitChunks([text], 'a/b/offer')).toEqual({
        outer: '<a><b> </c><offer>2</offer></b></a>',
        elements: [{ text: '<offer>1</offer>', startTag: '<offer>', line: 1 }],
        before: ['<a><b>'],
      });
    });

    it('on a DOCTYPE with an internal subset', () => {
      const text = '<!DOCTYPE a [<!ENTITY e "x">]>\n<a><b><offer>&e;</offer></b></a>';
      for (const size of [1, 4, text.length]) expect(splitChunks(pieces(text, size), 'a/b/offer')).toEqual({ outer: text, elements: [], before: [] });
    });

    it('on a DOCTYPE inside an element and on declarations other than comments and CDATA', () => {
      const inside = '<a><b><offer>1</offer><offer><!DOCTYPE x></offer><offer>3</offer></b></a>';
      expect(splitChunks([inside], 'a/b/offer').elements.map((element) => element.text)).toEqual(['<offer>1</offer>']);
      expect(splitChunks([inside], 'a/b/offer').outer).toBe('<a><b> <offer><!DOCTYPE x></offer><offer>3</offer></b></a>');
      const declaration = '<a><b><offer>1</offer><!ELEMENT offer ANY><offer>2</offer></b></a>';
      expect(splitChunks(pieces(declaration, 3), 'a/b/offer')).toEqual({
        outer: '<a><b> <!ELEMENT offer ANY><offer>2</offer></b></a>',
        elements: [{ text: '<offer>1</offer>', startTag: '<offer>', line: 1 }],
        before: ['<a><b>'],
      });
    });

    it('at the end inside an unfinished element: the partial element goes to outer', () => {
      const text = '<a>\n<b>\n<offer id="1"/>\n  <offer id="2">\n<name>unfinished';
      for (let at = 0; at <= text.length; at++) {
        const got = splitChunks([text.slice(0, at), text.slice(at)], 'a/b/offer');
        expect({ at, ...got }).toEqual({
          at,
          outer: '<a>\n<b>\n \n  <offer id="2">\n<name>unfinished',
          elements: [{ text: '<offer id="1"/>', startTag: '<offer id="1"/>', line: 3 }],
          before: ['<a>\n<b>'],
        });
      }
    });

    it('and hands every later chunk to outer unchanged', () => {
      const outer: string[] = [];
      const elements: (string | undefined)[] = [];
      const splitter = new XmlElementSplitter('a/b/offer', { outer: (text) => outer.push(text), element: (text) => elements.push(text) }, 100);
      splitter.write('<a><b><offer></x>');
      splitter.write('<offer>1</offer>');
      splitter.write('</b>');
      splitter.end();
      expect(outer).toEqual(['<a><b>', '<offer></x>', '<offer>1</offer>', '</b>']);
      expect(elements).toEqual([]);
    });
  });

  describe('with elements longer than the limit', () => {
    const big = `<offer id="big">\n<d>${'x'.repeat(300)}</d>\n<e a=">"/>\n${'<i>y</i>\n'.repeat(20)}</offer>`;
    const text = `<a>\n<b>\n<offer id="1">small</offer>\n${big}\n<offer id="2">\nafter</offer>\n</b>\n</a>`;
    const expected: Split = {
      outer: `<a>\n<b>\n \n${placeholder(big)}\n \n\n</b>\n</a>`,
      elements: [
        { text: '<offer id="1">small</offer>', startTag: '<offer id="1">', line: 3 },
        { text: undefined, startTag: '<offer id="big">', line: 4 },
        { text: '<offer id="2">\nafter</offer>', startTag: '<offer id="2">', line: 4 + lineBreaks(big).length + 1 },
      ],
      before: ['<a>\n<b>', '<a>\n<b>', '<a>\n<b>'],
    };

    it.each([1, 7, 50, 64, text.length])('hands them out without their text and goes on after them (chunks of %i)', (size) => {
      expect(splitChunks(pieces(text, size), 'a/b/offer', 64)).toEqual(expected);
    });

    it('keeps an element exactly at the limit', () => {
      const element = '<offer id="1">0123456789</offer>';
      expect(splitChunks([`<a><b>${element}</b></a>`], 'a/b/offer', element.length).elements[0]?.text).toBe(element);
      expect(splitChunks(pieces(`<a><b>${element}</b></a>`, 3), 'a/b/offer', element.length - 1).elements[0]?.text).toBeUndefined();
    });

    it.each([
      ['turns out malformed', `<a>\n<b>\n<offer id="big">${'x'.repeat(100)}<name></nam></offer></b></a>`],
      ['is still open at the end', `<a>\n<b>\n<offer id="big">${'x'.repeat(100)}<name>`],
    ])('refuses one that %s once its text is dropped, naming the line it starts on', (_, text) => {
      for (const size of [1, 10]) {
        expect(() => splitChunks(pieces(text, size), 'a/b/offer', 50)).toThrow(
          expect.objectContaining({ name: 'FeedParseError', position: { line: 3 } }) as Error,
        );
      }
    });
  });

  it('refuses a tag that never ends once it is twice the limit long', () => {
    const splitter = new XmlElementSplitter('a/b/offer', { outer: () => undefined, element: () => undefined }, 10);
    splitter.write('<a>\n<b>\n<offer id="');
    expect(() => {
      for (let i = 0; i < 10; i++) splitter.write('xxxx');
    }).toThrow(FeedParseError);
  });

  it('splits a single-line document of 50,000 elements written in 64 KB chunks', () => {
    const element = (i: number): string => `<offer id="${i}"><price>${i}</price></offer>`;
    let text = '<yml_catalog><shop><offers>';
    for (let i = 0; i < 50_000; i++) text += element(i);
    text += '</offers></shop></yml_catalog>';
    // Recorded without `before`: copying the outer text at each of 50,000 elements would cost more than splitting.
    let outer = '';
    const elements: { text: string | undefined; startTag: string; line: number }[] = [];
    const splitter = new XmlElementSplitter(OFFERS, { outer: (piece) => void (outer += piece), element: (cut, startTag, line) => void elements.push({ text: cut, startTag, line }) }, 1_000_000);
    for (const chunk of pieces(text, 65_536)) splitter.write(chunk);
    splitter.end();
    expect(elements).toHaveLength(50_000);
    expect(elements[49_999]).toEqual({ text: element(49_999), startTag: '<offer id="49999">', line: 1 });
    expect(elements.every((cut, i) => cut.text === element(i) && cut.line === 1)).toBe(true);
    expect(outer).toBe(`<yml_catalog><shop><offers>${' '.repeat(50_000)}</offers></shop></yml_catalog>`);
  });
});

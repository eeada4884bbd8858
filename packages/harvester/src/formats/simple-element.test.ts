import { describe, expect, it } from 'vitest';
import { readSimpleAttributes, readSimpleElement } from './simple-element.js';
import { XmlWalker } from './xml-walker.js';
import type { XmlNode } from './xml-walker.js';

/** The tree the XML walker builds for the element, lines left out. */
function walked(text: string): unknown {
  const walker = new XmlWalker({ paths: ['r/offer'] });
  const [captured] = [...walker.write(`<r>${text}`), ...walker.write('</r>'), ...walker.close()];
  walker.check();
  return withoutLines(captured!.node);
}

function withoutLines(node: XmlNode): unknown {
  return { ...node, line: 0, children: node.children.map(withoutLines) };
}

const SIMPLE = [
  '<offer id="1"><name>Tent</name><price>10</price></offer>',
  '<offer id="1"/>',
  '<offer id="a" available=\'true\' group_id="7" ><name>x</name></offer>',
  '<offer id = "8"\n  available="false"><name>n</name></offer>',
  '<offer id="1">\n  <name>Tent &amp; tarp &lt;2&gt; &quot;x&quot; &apos;y&apos;</name>\n  <vendor>Acme&nbsp;Co &#169; &#x263A;</vendor>\n</offer>',
  '<offer id="1"><description><![CDATA[<p>Two-person</p> & more]]></description></offer>',
  '<offer id="1"><!-- a note --><name>a<!-- inside -->b</name></offer>',
  '<offer id="1"><param name="Weight" unit="kg">2.4</param><param name="Season">summer</param><outlets><outlet id="1" instock="2"/></outlets></offer>',
  '<offer id="1"><name>Спальник «Зима»</name><ns:extra>1</ns:extra></offer>',
  '<offer id="x&amp;y" note="a > b"><name>\t tabs \t</name></offer>',
];

const NOT_SIMPLE = [
  ['a processing instruction', '<offer id="1"><?pi x?><name>a</name></offer>'],
  ['a carriage return in text', '<offer id="1"><name>a\r\nb</name></offer>'],
  ['a line break in an attribute', '<offer id="1\n"><name>a</name></offer>'],
  ['a character reference to a control character in an attribute', '<offer id="&#10;1"><name>a</name></offer>'],
  ['an undeclared entity', '<offer id="1"><name>&foo;</name></offer>'],
  ['an unterminated entity', '<offer id="1"><name>a & b</name></offer>'],
  ['"<" in an attribute', '<offer id="<1"><name>a</name></offer>'],
  ['a close tag that does not match', '<offer id="1"><name>a</nam></offer>'],
  ['a close tag with white space', '<offer id="1"><name>a</name ></offer>'],
  ['attributes without white space between them', '<offer id="1"available="true"></offer>'],
  ['a repeated attribute', '<offer id="1" id="2"></offer>'],
  ['an attribute named like a property of every object', '<offer id="1" constructor="x"></offer>'],
  ['an unquoted attribute', '<offer id=1></offer>'],
  ['"]]>" in text', '<offer id="1"><name>a]]>b</name></offer>'],
  ['"--" inside a comment', '<offer id="1"><!-- a -- b --></offer>'],
  ['a control character', '<offer id="1"><name>a\u0001b</name></offer>'],
  ['a character reference to nothing XML allows', '<offer id="1"><name>&#1;</name></offer>'],
  ['an emoji (a surrogate pair)', '<offer id="1"><name>😀</name></offer>'],
  ['a name that is not ASCII', '<offer id="1"><имя>a</имя></offer>'],
  ['text after the element', '<offer id="1"></offer>x'],
  ['an element that never closes', '<offer id="1"><name>a</name>'],
  ['a DOCTYPE inside', '<offer id="1"><!DOCTYPE x></offer>'],
] as const;

describe('readSimpleElement', () => {
  it.each(SIMPLE)('reads %j as the XML walker does', (text) => {
    const node = readSimpleElement(text, 7);
    expect(node).toBeDefined();
    expect(node?.line).toBe(7);
    expect(withoutLines(node!)).toEqual(walked(text));
  });

  it.each(NOT_SIMPLE)('leaves %s to the full parser', (_, text) => {
    expect(readSimpleElement(text, 1)).toBeUndefined();
  });

  it('reads the attributes of a start tag alone, decoded, or leaves the tag to the parser', () => {
    expect(readSimpleAttributes('<offer id=" a&amp;b " available="true">')).toEqual({ id: ' a&amp;b '.replace('&amp;', '&'), available: 'true' });
    expect(readSimpleAttributes('<offer id="1"/>')).toEqual({ id: '1' });
    expect(readSimpleAttributes('<offer>')).toEqual({});
    expect(readSimpleAttributes('<offer data="x id=\'y\'" id="z">')).toEqual({ data: "x id='y'", id: 'z' });
    expect(readSimpleAttributes('<offer id="1\n">')).toBeUndefined();
    expect(readSimpleAttributes('<offer id="1" id="2">')).toBeUndefined();
    expect(readSimpleAttributes('<offer id="1">x')).toBeUndefined();
  });
});

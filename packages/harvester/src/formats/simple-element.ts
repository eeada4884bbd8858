import { HTML_ENTITIES, NO_ATTRIBUTES, NO_CHILDREN } from './xml-walker.js';
import type { XmlNode } from './xml-walker.js';

// The entities a reference may name: XML's own and the HTML ones the walker accepts.
const ENTITIES = new Map([...Object.entries({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }), ...Object.entries(HTML_ENTITIES)]);

/** Thrown inside `readSimpleElement` when the text uses something it leaves to the full parser. */
const NOT_SIMPLE = Symbol('not simple');

function notSimple(): never {
  throw NOT_SIMPLE;
}

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x3a;
}

/**
 * Checks that text holds only characters XML allows without normalizing them: no control characters
 * but tab and line feed, no carriage return (the parser turns those into line feeds), no surrogates
 * or non-characters, no "]]>" (forbidden in text); then decodes entity references.
 */
function checkedText(text: string, inAttribute: boolean): string {
  let entities = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x0a && c !== 0x09) notSimple();
      if (inAttribute) notSimple(); // attribute values have their white space normalized
    } else if (c === 0x26) entities = true;
    else if (c === 0x3c) notSimple();
    else if (c === 0x5d && text.startsWith(']]>', i)) notSimple();
    else if (c >= 0xd800 && (c <= 0xdfff || c >= 0xfffe)) notSimple();
  }
  return entities ? decodeEntities(text, inAttribute) : text;
}

/** Comments and CDATA hold any text but the characters XML never allows (and carriage returns, normalized by the parser). */
function checkChars(text: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x0a && c !== 0x09) || (c >= 0xd800 && (c <= 0xdfff || c >= 0xfffe))) notSimple();
  }
}

function decodeEntities(text: string, inAttribute: boolean): string {
  let out = '';
  let from = 0;
  for (let amp = text.indexOf('&'); amp !== -1; amp = text.indexOf('&', from)) {
    const semi = text.indexOf(';', amp + 1);
    if (semi === -1) notSimple();
    const name = text.slice(amp + 1, semi);
    out += text.slice(from, amp) + decodeEntity(name, inAttribute);
    from = semi + 1;
  }
  return out + text.slice(from);
}

function decodeEntity(name: string, inAttribute: boolean): string {
  const known = ENTITIES.get(name);
  if (known !== undefined) return known;
  const numeric = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(name);
  if (numeric === null) return notSimple();
  const code = numeric[1] === undefined ? Number.parseInt(numeric[2]!, 10) : Number.parseInt(numeric[1], 16);
  if (inAttribute && code < 0x20) notSimple(); // left to the parser's rules for white space in attributes
  const allowed = code === 0x09 || code === 0x0a || code === 0x0d || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
  return allowed ? String.fromCodePoint(code) : notSimple();
}

/**
 * Reads one element's text into the tree the XML walker would build for it, when the element keeps to
 * the simple part of XML that product feeds use: ASCII names, quoted attributes separated by white
 * space, text, the predefined, numeric and accepted HTML entities, CDATA sections and comments. For
 * anything else (processing instructions, a carriage return, an unknown
 * entity, a malformed tag) it returns undefined and the element goes to the full parser, which reads
 * it or reports what is wrong. `line` is given to every node.
 */
export function readSimpleElement(text: string, line: number): XmlNode | undefined {
  try {
    return readElement(text, line);
  } catch (error) {
    if (error === NOT_SIMPLE) return undefined;
    throw error;
  }
}

/** The attributes of a start tag (`<name ...>` or `<name .../>`) as the XML walker reads them, when it is simple. */
export function readSimpleAttributes(startTag: string): Readonly<Record<string, string>> | undefined {
  try {
    const node = readStartTag(startTag, 0, 0, [], undefined);
    return tagEnd === startTag.length ? node.attributes : undefined;
  } catch (error) {
    if (error === NOT_SIMPLE) return undefined;
    throw error;
  }
}

function readElement(text: string, line: number): XmlNode {
  const open: XmlNode[] = [];
  let root: XmlNode | undefined;
  let i = 0;
  if (text.charCodeAt(0) !== 0x3c) notSimple();
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt === -1) notSimple();
    const top = open[open.length - 1];
    if (lt > i) {
      if (top === undefined) notSimple();
      top.text += checkedText(text.slice(i, lt), false);
    }
    const next = text.charCodeAt(lt + 1);
    if (next === 0x2f) {
      // </name>
      if (top === undefined || !text.startsWith(top.name, lt + 2) || text.charCodeAt(lt + 2 + top.name.length) !== 0x3e) notSimple();
      open.pop();
      i = lt + 3 + top.name.length;
      if (open.length === 0) {
        if (i !== text.length) notSimple();
        return root!;
      }
      continue;
    }
    if (next === 0x21) {
      if (top === undefined) notSimple();
      if (text.startsWith('![CDATA[', lt + 1)) {
        const end = text.indexOf(']]>', lt + 9);
        if (end === -1) notSimple();
        const data = text.slice(lt + 9, end);
        checkChars(data);
        top.text += data;
        i = end + 3;
        continue;
      }
      if (text.startsWith('!--', lt + 1)) {
        const end = text.indexOf('--', lt + 4);
        if (end === -1 || text.charCodeAt(end + 2) !== 0x3e) notSimple(); // "--" may only end a comment
        checkChars(text.slice(lt + 4, end));
        i = end + 3;
        continue;
      }
      notSimple();
    }
    const node = readStartTag(text, lt, line, open, top);
    root ??= node;
    i = tagEnd;
    if (open.length === 0) {
      // <offer .../> as the whole element
      if (i !== text.length) notSimple();
      return root;
    }
  }
  return notSimple();
}

function skipSpace(text: string, from: number): number {
  let i = from;
  for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x09; c = text.charCodeAt(++i));
  return i;
}

/** Where the last start tag read ended. */
let tagEnd = 0;

/** Reads the start tag at `lt` into a node under `parent` (opened unless self-closing); sets `tagEnd`. */
function readStartTag(text: string, lt: number, line: number, open: XmlNode[], parent: XmlNode | undefined): XmlNode {
  let i = lt + 1;
  if (!isNameStart(text.charCodeAt(i))) notSimple();
  while (isNameChar(text.charCodeAt(i))) i++;
  const name = text.slice(lt + 1, i);
  let attributes: Record<string, string> | undefined;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x3e || (c === 0x2f && text.charCodeAt(i + 1) === 0x3e)) break;
    // An attribute needs white space before it.
    if (c !== 0x20 && c !== 0x0a && c !== 0x09) notSimple();
    i = skipSpace(text, i);
    const at = text.charCodeAt(i);
    if (at === 0x3e || at === 0x2f) continue;
    const nameFrom = i;
    if (!isNameStart(at)) notSimple();
    while (isNameChar(text.charCodeAt(i))) i++;
    const key = text.slice(nameFrom, i);
    i = skipSpace(text, i);
    if (text.charCodeAt(i) !== 0x3d) notSimple();
    i = skipSpace(text, i + 1);
    const quote = text.charCodeAt(i);
    if (quote !== 0x22 && quote !== 0x27) notSimple();
    const close = text.indexOf(quote === 0x22 ? '"' : "'", i + 1);
    if (close === -1) notSimple();
    attributes ??= {};
    // A repeated attribute is an error for the parser to report; so is a name the prototype has, to be safe.
    if (attributes[key] !== undefined || key === '__proto__') notSimple();
    attributes[key] = checkedText(text.slice(i + 1, close), true);
    i = close + 1;
  }
  const selfClosing = text.charCodeAt(i) === 0x2f;
  const node: XmlNode = {
    name,
    local: name.slice(name.indexOf(':') + 1),
    uri: undefined,
    attributes: attributes ?? NO_ATTRIBUTES,
    children: NO_CHILDREN,
    text: '',
    line,
  };
  if (parent !== undefined) {
    if (parent.children === NO_CHILDREN) parent.children = [node];
    else (parent.children as XmlNode[]).push(node);
  } else if (open.length > 0) notSimple();
  if (!selfClosing) open.push(node);
  tagEnd = i + (selfClosing ? 2 : 1);
  return node;
}

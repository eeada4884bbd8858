import { SaxesParser } from 'saxes';
import type { SaxesOptions } from 'saxes';
import { FeedParseError } from './errors.js';
import { DEFAULT_MAX_RECORD_CHARS } from './feed-record.js';
import type { Fingerprint } from './fingerprint.js';

/** A captured element: a small tree held only while its record is being read. */
export interface XmlNode {
  /** Qualified name as written ("g:price"). */
  name: string;
  /** Name without prefix ("price"). */
  local: string;
  /** Namespace URI, when namespaces are resolved. */
  uri: string | undefined;
  /** Attributes by qualified name. */
  attributes: Readonly<Record<string, string>>;
  children: readonly XmlNode[];
  text: string;
  line: number;
}

export interface CapturedElement {
  /** The element's path of local names from the root, e.g. "yml_catalog/shop/offers/offer". */
  path: string;
  node: XmlNode;
  /** The element held more text than the limit; its text was not kept. */
  oversized: boolean;
}

export interface WalkOptions {
  /** Element paths (local names from the root, "/"-separated) whose subtrees are captured. */
  paths: readonly string[];
  /** Resolve namespaces (needed for Google Merchant's g: elements). */
  xmlns?: boolean;
  /** Text per captured element before it is reported oversized. */
  maxRecordChars?: number;
  /** Called with the root element's local name, before anything is captured; may throw to refuse the document. */
  onRoot?: (local: string, uri: string | undefined) => void;
}

// Named HTML entities that suppliers put into XML feeds anyway. Each is one fixed
// character, so accepting them expands nothing; every other undeclared entity is an error.
export const HTML_ENTITIES: Readonly<Record<string, string>> = {
  nbsp: '\u00a0', laquo: '«', raquo: '»', ndash: '–', mdash: '—', hellip: '…', copy: '©', reg: '®',
  trade: '™', deg: '°', times: '×', euro: '€', bull: '•', middot: '·', lsquo: '‘', rsquo: '’', ldquo: '“',
  rdquo: '”', shy: '\u00ad',
};

type AnyTag = { name: string; local?: string; uri?: string };

/**
 * saxes's `on()` stores each handler under a computed key; past a dozen such stores V8
 * turns the parser into a dictionary-mode object, and every `this.x` in its
 * per-character loop becomes a hash lookup (a YML feed parsed four times slower).
 * Using the object once as a prototype makes V8 rebuild it with fast properties.
 */
function keepFastProperties(object: object): void {
  function Probe(this: unknown): void {}
  Probe.prototype = object;
  const probe = new (Probe as unknown as new () => { shape?: unknown })();
  const read = (): unknown => probe.shape;
  read();
  read();
}

// Most elements are leaves without attributes; they share these instead of two empty objects each.
export const NO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({});
export const NO_CHILDREN: readonly XmlNode[] = Object.freeze([]);

/** Concatenated text of a node, trimmed. */
export function nodeText(node: XmlNode | undefined): string {
  return node === undefined ? '' : node.text.trim();
}

/** Adds the whole element to a fingerprint: names, namespaces, attributes, text and children in order. */
export function addNode(fingerprint: Fingerprint, node: XmlNode): Fingerprint {
  fingerprint.add(node.name);
  if (node.uri !== undefined) fingerprint.mark(1).add(node.uri);
  const { attributes } = node;
  // Most elements share the empty attributes: no for-in over them.
  if (attributes !== NO_ATTRIBUTES) for (const key in attributes) fingerprint.mark(2).add(key).mark(3).add(attributes[key] as string);
  fingerprint.mark(4).add(node.text);
  for (const child of node.children) addNode(fingerprint.mark(5), child).mark(6);
  return fingerprint;
}

/**
 * Feeds XML text to saxes and returns the subtrees at the requested paths as they close. Text can be
 * written in any pieces; after a failure, `check()` throws it and the elements closed before it are
 * still returned (except one saxes closed only because an outer close tag did not match).
 *
 * saxes never fetches external resources and never expands entities declared in a
 * DTD. On top of that, a DOCTYPE that declares entities is refused outright: such a
 * feed is either an attack (billion laughs, `SYSTEM "file:///etc/passwd"`) or would
 * silently lose text. A plain `<!DOCTYPE yml_catalog SYSTEM "shops.dtd">` is accepted
 * and ignored.
 */
export class XmlWalker {
  readonly #parser: SaxesParser;
  readonly #maxChars: number;
  #ready: CapturedElement[] = [];
  #failure: Error | undefined;
  #readyAtFailure = 0;
  #sawContent = false;
  #lastEventAt = 0; // parser.position is exact inside handlers only
  #written = 0;

  constructor(options: WalkOptions) {
    const wanted = new Set(options.paths);
    const maxChars = (this.#maxChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS);
    const parserOptions: SaxesOptions = { xmlns: options.xmlns ?? false, position: true };
    const parser = (this.#parser = new SaxesParser(parserOptions));
    Object.assign(parser.ENTITIES, HTML_ENTITIES);

    const path: string[] = []; // joined paths of the open elements above any capture
    // Every record element has the same path: join it once, not once per record.
    const childPaths = new Map<string | undefined, Map<string, string>>();
    const childPath = (parent: string | undefined, local: string): string => {
      const known = childPaths.get(parent);
      const cached = known?.get(local);
      if (cached !== undefined) return cached;
      const joined = parent === undefined ? local : `${parent}/${local}`;
      // Bounded: a document with endlessly varied names above the records joins them afresh.
      if (known === undefined && childPaths.size < 1_000) childPaths.set(parent, new Map([[local, joined]]));
      else if (known !== undefined && known.size < 1_000) known.set(local, joined);
      return joined;
    };
    const open: XmlNode[] = []; // the captured subtree's open elements, outermost first
    let captureSize = 0;
    let closedRecord = false;
    const seen = (): void => {
      this.#lastEventAt = parser.position;
      closedRecord = false;
    };

    parser.on('error', (error) => {
      // A close tag that did not match made saxes close the record early: that record is not good.
      this.#fail(error, closedRecord && /unexpected close tag/.test(error.message) ? 1 : 0);
    });
    parser.on('doctype', (doctype) => {
      seen();
      if (/<!ENTITY/i.test(doctype)) {
        const message = 'Refused XML: the DOCTYPE declares entities, which are never expanded or fetched (unsafe)';
        this.#fail(new FeedParseError(message, { position: { line: parser.line } }));
      }
    });
    // Attributes arrive one by one before their open tag and go straight into a plain object:
    // saxes's own is a prototype-less dictionary that is slow to copy. A plain object, as
    // before: an attribute named "__proto__" is not kept.
    let attributes: Record<string, string> | undefined;
    parser.on('attribute', (attribute: { name: string; value: string }) => {
      (attributes ??= {})[attribute.name] = attribute.value;
    });
    const toNode = (tag: AnyTag, local: string): XmlNode => {
      const node: XmlNode = { name: tag.name, local, uri: tag.uri, attributes: attributes ?? NO_ATTRIBUTES, children: NO_CHILDREN, text: '', line: parser.line };
      attributes = undefined;
      return node;
    };
    parser.on('opentag', (tag: AnyTag) => {
      // saxes reads on after an error, with its elements closed: nothing it reports now is the document's.
      if (this.#failure !== undefined) return;
      seen();
      const local = tag.local ?? tag.name.slice(tag.name.indexOf(':') + 1);
      const inside = open[open.length - 1];
      if (inside !== undefined) {
        // Below a captured element only the tree matters, not the path.
        const node = toNode(tag, local);
        if (inside.children === NO_CHILDREN) inside.children = [node];
        else (inside.children as XmlNode[]).push(node);
        open.push(node);
        return;
      }
      const parent = path[path.length - 1];
      if (parent === undefined) options.onRoot?.(local, tag.uri);
      const joined = childPath(parent, local);
      path.push(joined);
      if (wanted.has(joined)) {
        captureSize = 0;
        open.push(toNode(tag, local));
      } else {
        attributes = undefined;
      }
    });
    const addText = (value: string): void => {
      seen();
      const node = open[open.length - 1];
      if (node === undefined) return;
      captureSize += value.length;
      if (captureSize <= maxChars) node.text += value;
    };
    parser.on('text', addText);
    parser.on('cdata', addText);
    parser.on('comment', seen);
    parser.on('processinginstruction', seen);
    parser.on('closetag', () => {
      seen();
      const node = open.pop();
      if (node !== undefined && open.length > 0) return;
      const joined = path.pop() ?? '';
      if (node === undefined) return;
      const oversized = captureSize > maxChars;
      if (oversized) node.children = NO_CHILDREN;
      this.#ready.push({ path: joined, node, oversized });
      closedRecord = true;
    });
    keepFastProperties(parser);
  }

  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** Parses more text; returns the elements it completed (up to a failure, which `check` then throws). */
  write(text: string): CapturedElement[] {
    if (this.#failure !== undefined) return this.#take();
    if (!this.#sawContent && text.trim() !== '') this.#sawContent = true;
    this.#parser.write(text);
    this.#written += text.length;
    // saxes buffers a node until it ends; an endless comment, CDATA or text node must not take all memory.
    if (this.#written - this.#lastEventAt > 2 * this.#maxChars) {
      const message = `XML node longer than ${2 * this.#maxChars} characters; the file looks truncated or malformed`;
      this.#fail(new FeedParseError(message, { position: { line: this.#parser.line } }));
    }
    return this.#take();
  }

  /** Ends the document; returns the last elements. */
  close(): CapturedElement[] {
    if (this.#failure !== undefined) return this.#take();
    if (!this.#sawContent) this.#fail(new FeedParseError('The XML document is empty'));
    else this.#parser.close();
    return this.#take();
  }

  /** Throws the failure, if the document has failed; `lineOffset` is added to the line saxes reports. */
  check(lineOffset = 0): void {
    const cause = this.#failure;
    if (cause === undefined) return;
    if (cause instanceof FeedParseError) throw cause;
    // saxes puts where it found the problem first ("12:5: ..."); the parser itself may have read on since.
    const at = /^(\d+):(\d+): /.exec(cause.message);
    const message = at === null ? cause.message : cause.message.slice(at[0].length);
    const line = (at === null ? this.#parser.line : Number(at[1])) + lineOffset;
    const position = { line, column: at === null ? this.#parser.column : Number(at[2]) };
    throw new FeedParseError(`Malformed XML: ${message}`, { position, cause });
  }

  #fail(error: Error, dropLast = 0): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    this.#readyAtFailure = this.#ready.length - dropLast;
  }

  #take(): CapturedElement[] {
    if (this.#failure === undefined) return this.#ready.splice(0, this.#ready.length);
    const taken = this.#ready.splice(0, Math.max(0, this.#readyAtFailure));
    this.#readyAtFailure = 0;
    this.#ready.length = 0;
    return taken;
  }
}

/**
 * Streams XML text through an `XmlWalker` and yields the subtrees at the requested paths,
 * a batch per chunk of text (a chunk's worth of records is in memory at a time; one await
 * per chunk instead of one per record). Throws a failure after the records completed before it.
 */
export async function* walkXml(text: AsyncIterable<string>, options: WalkOptions): AsyncGenerator<CapturedElement[]> {
  const walker = new XmlWalker(options);
  for await (const chunk of text) {
    const ready = walker.write(chunk);
    if (ready.length > 0) yield ready;
    walker.check();
  }
  const last = walker.close();
  if (last.length > 0) yield last;
  walker.check();
}

import { FeedParseError } from './errors.js';

/** Where the splitter hands its pieces, in document order. */
export interface SplitHandlers {
  /**
   * Document text outside the cut elements, with each element replaced by the line breaks it spanned (so
   * that a parser of this text counts the same lines). After `end`, or after the splitter gives up on a
   * construct it does not follow, everything not handed out yet comes here, elements included.
   */
  outer(text: string): void;
  /**
   * One element: its raw text from `<` to the end of its end tag (undefined when it is longer than the
   * limit), its start tag, and the line its `<` is on.
   */
  element(text: string | undefined, startTag: string, line: number): void;
}

const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x20) return false;
  return true;
}

/** Where a tag's name ends: at white space, "/" or ">". */
function nameEnd(text: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c === SLASH || c === GT) break;
    i++;
  }
  return i;
}

/**
 * The ">" that ends the start tag whose name ends at `nameTo`, past quoted attribute values (which may
 * hold ">"); -1 when it is not in the text yet.
 */
function startTagEnd(text: string, nameTo: number): number {
  if (text.charCodeAt(nameTo) === GT) return nameTo; // most tags: a bare name
  // One pass with the quote state: searching for ">" again after every quoted value would be quadratic.
  let quote = 0;
  for (let i = nameTo; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === GT) return i;
    else if (c === QUOTE || c === APOSTROPHE) quote = c;
  }
  return -1;
}

/**
 * Cuts the elements at one path out of a stream of XML text without parsing them, so that each can be
 * recognized by its raw text and parsed only when needed. It follows tags, comments, CDATA sections and
 * processing instructions far enough to find element boundaries and the path; it checks nothing else,
 * which is the job of the parser the pieces go to. On anything it does not follow (a close tag that does
 * not match, a DOCTYPE with an internal subset), it gives up and hands the rest of the document to
 * `outer` as it is, so that the parser there sees it whole and reports it as it would have.
 */
export class XmlElementSplitter {
  readonly #target: string[];
  readonly #handlers: SplitHandlers;
  readonly #maxChars: number;
  #splitting = true;
  /** Text not handed out yet; it starts at the first character not handed out. */
  #buf = '';
  /** Where scanning resumes in #buf. */
  #pos = 0;
  /** Blank outer text held back so that the blanks between elements are handed out in one piece. */
  #heldOuter = '';
  /** Local names of the open elements outside any cut element. */
  readonly #path: string[] = [];
  /** How many leading entries of #path match the target's. */
  #matched = 0;
  /** Inside a cut element: its open elements' names, the element's own first. */
  readonly #inner: string[] = [];
  #startTag = '';
  #elementLine = 0;
  #oversized = false;
  /** The open element's text from earlier chunks: kept in pieces, so that a long element is not copied per chunk. */
  #parts: string[] = [];
  #partsLength = 0;
  /** Outer text handed out so far ends inside an entity reference ("&amp" without its ";"). */
  #entityOpen = false;
  /** Where to go on looking for the end of a comment, CDATA section or PI that did not end in the last chunk. */
  #resumeFind = -1;
  /** Lines are counted up to #counted in #buf; #nextBreak is the first line break after it (-1: none in #buf, undefined: not looked for). */
  #counted = 0;
  #lineAtCounted = 1;
  #nextBreak: number | undefined;
  /** The same for carriage returns: a lone one is a line break too, as the parser counts them. */
  #nextReturn: number | undefined;
  #returnAtEnd = false;

  /** `path`: local names from the root, "/"-separated. `maxChars`: longer elements are handed out without their text. */
  constructor(path: string, handlers: SplitHandlers, maxChars: number) {
    this.#target = path.split('/');
    this.#handlers = handlers;
    this.#maxChars = maxChars;
  }

  write(chunk: string): void {
    if (!this.#splitting) {
      this.#handlers.outer(chunk);
      return;
    }
    if (chunk === '') return;
    if (this.#returnAtEnd && chunk.charCodeAt(0) === 0x0a) this.#lineAtCounted--; // it was "\r\n" after all
    this.#returnAtEnd = false;
    this.#buf += chunk;
    if (this.#nextBreak === -1) this.#nextBreak = undefined;
    if (this.#nextReturn === -1) this.#nextReturn = undefined;
    this.#scan();
  }

  /** Hands out whatever is left; an element still open goes to `outer` whole, for its parser to report. */
  end(): void {
    if (this.#splitting && this.#inner.length > 0) this.#giveUp();
    const rest = this.#heldOuter + this.#buf;
    this.#heldOuter = '';
    this.#buf = '';
    if (rest !== '') this.#handlers.outer(rest);
  }

  /** The line at index `at` of #buf; positions are asked about in order. */
  #lineAt(at: number): number {
    if (at <= this.#counted) return this.#lineAtCounted;
    const buf = this.#buf;
    let line = this.#lineAtCounted;
    // The next breaks are remembered, so that a document without them is not searched to its end each time.
    let nl = this.#nextBreak ?? buf.indexOf('\n', this.#counted);
    while (nl !== -1 && nl < at) {
      line++;
      nl = buf.indexOf('\n', nl + 1);
    }
    this.#nextBreak = nl;
    let cr = this.#nextReturn ?? buf.indexOf('\r', this.#counted);
    while (cr !== -1 && cr < at) {
      // One at the end counts as lone until the next chunk starts with a line feed (see write).
      if (buf.charCodeAt(cr + 1) !== 0x0a) line++;
      if (cr + 1 === buf.length) this.#returnAtEnd = true;
      cr = buf.indexOf('\r', cr + 1);
    }
    this.#nextReturn = cr;
    this.#counted = at;
    this.#lineAtCounted = line;
    return line;
  }

  #scan(): void {
    const buf = this.#buf;
    const inner = this.#inner;
    let outerFrom = 0; // first character of outer text not handed out
    let elementFrom = -1; // the cut element's "<", when inside one
    if (inner.length > 0) {
      outerFrom = -1;
      elementFrom = 0;
    }
    let pos = this.#pos;
    let incomplete = -1; // a token that does not end in the text yet
    while (true) {
      const lt = buf.indexOf('<', pos);
      if (lt === -1) {
        pos = buf.length;
        break;
      }
      if (lt + 1 >= buf.length) {
        incomplete = lt;
        break;
      }
      const next = buf.charCodeAt(lt + 1);
      if (next === SLASH) {
        const gt = buf.indexOf('>', lt + 2);
        if (gt === -1) {
          incomplete = lt;
          break;
        }
        const open = inner.length > 0 ? inner[inner.length - 1]! : this.#path[this.#path.length - 1];
        if (open === undefined || !this.#closes(buf, lt + 2, gt, open)) {
          this.#giveUp(elementFrom === -1 ? outerFrom : elementFrom);
          return;
        }
        pos = gt + 1;
        if (inner.length > 0) {
          inner.pop();
          if (inner.length === 0) {
            this.#finishElement(buf, elementFrom, pos);
            elementFrom = -1;
            outerFrom = pos;
          }
        } else {
          this.#path.pop();
          if (this.#matched > this.#path.length) this.#matched = this.#path.length;
        }
        continue;
      }
      if (next === BANG || next === QUESTION) {
        const end = this.#skipMarkup(buf, lt, next, inner.length > 0);
        if (end === -2) {
          this.#giveUp(elementFrom === -1 ? outerFrom : elementFrom);
          return;
        }
        if (end === -1) {
          incomplete = lt;
          break;
        }
        pos = end;
        continue;
      }
      const nameTo = nameEnd(buf, lt + 1, buf.length);
      const gt = startTagEnd(buf, nameTo);
      if (gt === -1) {
        incomplete = lt;
        break;
      }
      pos = gt + 1;
      const selfClosing = buf.charCodeAt(gt - 1) === SLASH;
      if (inner.length > 0) {
        if (!selfClosing) inner.push(buf.slice(lt + 1, nameTo));
        continue;
      }
      const name = buf.slice(lt + 1, nameTo);
      const depth = this.#path.length;
      const local = name.slice(name.indexOf(':') + 1);
      if (this.#matched === depth && depth === this.#target.length - 1 && local === this.#target[depth]) {
        this.#handOuter(buf.slice(outerFrom, lt), false);
        if (this.#entityOpen) {
          // The parser is inside a reference that the element would end: let it see the element itself.
          this.#giveUp(lt);
          return;
        }
        outerFrom = -1;
        elementFrom = lt;
        this.#elementLine = this.#lineAt(lt);
        this.#startTag = buf.slice(lt, gt + 1);
        this.#oversized = false;
        if (selfClosing) {
          this.#finishElement(buf, lt, pos);
          elementFrom = -1;
          outerFrom = pos;
        } else {
          inner.push(name);
        }
        continue;
      }
      if (selfClosing) continue;
      if (this.#matched === depth && local === this.#target[depth]) this.#matched++;
      this.#path.push(name);
    }

    // Keep what is not handed out: the open element, or an unfinished token.
    if (elementFrom !== -1) {
      const keepFrom = incomplete === -1 ? pos : incomplete;
      if (!this.#oversized && this.#partsLength + (keepFrom - elementFrom) > this.#maxChars) {
        // An oversized element's text is never handed out: drop it.
        this.#oversized = true;
        this.#parts = [];
        this.#partsLength = 0;
      }
      if (!this.#oversized && keepFrom > elementFrom) {
        this.#parts.push(buf.slice(elementFrom, keepFrom));
        this.#partsLength += keepFrom - elementFrom;
      }
      this.#rebase(keepFrom, keepFrom);
    } else {
      const keepFrom = incomplete === -1 ? buf.length : incomplete;
      this.#handOuter(buf.slice(outerFrom, keepFrom), true);
      this.#rebase(keepFrom, keepFrom);
    }
    if (incomplete !== -1 && this.#buf.length - this.#pos > 2 * this.#maxChars) {
      throw new FeedParseError(`XML node longer than ${2 * this.#maxChars} characters; the file looks truncated or malformed`, {
        position: { line: this.#lineAt(this.#pos) },
      });
    }
  }

  /** Drops #buf before `from` (already handed out) and resumes scanning at `resume`. */
  #rebase(from: number, resume: number): void {
    this.#lineAt(from);
    this.#buf = this.#buf.slice(from);
    this.#counted -= from;
    if (this.#nextBreak !== undefined && this.#nextBreak !== -1) this.#nextBreak -= from;
    if (this.#nextReturn !== undefined && this.#nextReturn !== -1) this.#nextReturn -= from;
    if (this.#resumeFind !== -1) this.#resumeFind -= from;
    this.#pos = resume - from;
  }

  /** Whether the end tag's name, from `from` to the ">" at `gt`, is `open` (white space may follow the name). */
  #closes(buf: string, from: number, gt: number, open: string): boolean {
    if (gt - from < open.length) return false;
    // A loop, not startsWith: this runs for every end tag, and the builtin's call costs more than the compare.
    for (let i = 0; i < open.length; i++) if (buf.charCodeAt(from + i) !== open.charCodeAt(i)) return false;
    for (let i = from + open.length; i < gt; i++) if (buf.charCodeAt(i) > 0x20) return false;
    return true;
  }

  /**
   * The index after a comment, CDATA section, processing instruction or (outside elements) a DOCTYPE
   * without an internal subset starting at `lt`; -1 when it does not end in the text yet, -2 for anything else.
   */
  #skipMarkup(buf: string, lt: number, next: number, inside: boolean): number {
    const find = (closer: string, from: number): number => {
      const at = buf.indexOf(closer, Math.max(from, this.#resumeFind));
      // Not there yet: the next chunk's search starts where this one stopped, not at the "<" again.
      this.#resumeFind = at === -1 ? Math.max(from, buf.length - closer.length + 1) : -1;
      return at === -1 ? -1 : at + closer.length;
    };
    if (next === QUESTION) {
      const end = find('?>', lt + 2);
      // XML 1.1 has other line breaks and characters: such a document is left to the parser whole.
      const declaration = end !== -1 && !inside && buf.startsWith('?xml', lt + 1) ? buf.slice(lt, end) : '';
      return /\sversion\s*=\s*["']1\.1["']/.test(declaration) ? -2 : end;
    }
    if (buf.startsWith('!--', lt + 1)) return find('-->', lt + 4);
    if (buf.startsWith('![CDATA[', lt + 1)) return find(']]>', lt + 9);
    if (!inside && buf.startsWith('!DOCTYPE', lt + 1)) {
      const gt = buf.indexOf('>', lt);
      if (gt === -1) return -1;
      const subset = buf.indexOf('[', lt);
      return subset !== -1 && subset < gt ? -2 : gt + 1;
    }
    // Too short to tell which construct this is, or one that has no place here.
    return buf.length - lt < 9 ? -1 : -2;
  }

  #finishElement(buf: string, from: number, to: number): void {
    const line = this.#elementLine;
    const lines = this.#lineAt(to) - line;
    const tail = buf.slice(from, to);
    const oversized = this.#oversized || this.#partsLength + tail.length > this.#maxChars;
    const text = oversized ? undefined : this.#parts.length === 0 ? tail : this.#parts.join('') + tail;
    this.#oversized = false;
    this.#parts = [];
    this.#partsLength = 0;
    this.#handlers.element(text, this.#startTag, line);
    // Never nothing: the text on either side must not join ("&am" + "p;", "]]" + ">", "\r" + "\n").
    this.#heldOuter += lines > 0 ? ` ${'\n'.repeat(lines)}` : ' ';
    if (this.#heldOuter.length > 65_536) {
      // Blanks between elements larger than a chunk: hand them out rather than let them pile up.
      this.#emitOuter(this.#heldOuter);
      this.#heldOuter = '';
    }
  }

  /** Hands out outer text, holding back blanks (between elements) until something else follows or the chunk ends. */
  #handOuter(text: string, chunkEnd: boolean): void {
    if (!chunkEnd && isBlank(text)) {
      this.#heldOuter += text;
      return;
    }
    const all = this.#heldOuter + text;
    this.#heldOuter = '';
    if (all !== '') this.#emitOuter(all);
  }

  #emitOuter(text: string): void {
    const amp = text.lastIndexOf('&');
    if (amp !== -1) this.#entityOpen = text.indexOf(';', amp) === -1;
    else if (this.#entityOpen && text.includes(';')) this.#entityOpen = false;
    this.#handlers.outer(text);
  }

  /** Stops splitting: what is not handed out yet (from `from`), and everything after it, goes to `outer`. */
  #giveUp(from = 0): void {
    if (this.#oversized) {
      throw new FeedParseError('Malformed XML inside an element larger than the record size limit', { position: { line: this.#elementLine } });
    }
    this.#splitting = false;
    this.#inner.length = 0;
    const rest = this.#heldOuter + this.#parts.join('') + this.#buf.slice(from);
    this.#heldOuter = '';
    this.#parts = [];
    this.#partsLength = 0;
    this.#buf = '';
    if (rest !== '') this.#handlers.outer(rest);
  }
}

import { decodeFeed } from './decode.js';
import type { DecodeOptions } from './decode.js';
import { FeedParseError } from './errors.js';
import type { FieldMapping, ParsedItem } from './feed-record.js';
import { createFieldMapper } from './map-fields.js';
import { validateRecord } from './validate-record.js';
import { walkXml } from './xml-walker.js';
import type { XmlNode } from './xml-walker.js';

export interface XmlOptions extends DecodeOptions {
  /** Path of the record elements from the root, e.g. "catalog/product". */
  recordPath: string;
  /**
   * Selectors relative to the record element: "sku" (child text), "@id" (attribute
   * of the record), "price/@currency", "images/image" (every match, for images).
   * Unmapped fields fall back to the built-in aliases on child element names.
   */
  fields?: FieldMapping;
  maxRecordChars?: number;
}

/**
 * The (selector, value) pairs of a record element: "@attr" for its attributes,
 * "child" for leaf children, "child/@attr" and "child/grandchild" below that.
 */
export function* xmlEntries(node: XmlNode, prefix = ''): Generator<readonly [string, string]> {
  for (const [name, value] of Object.entries(node.attributes)) {
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) yield [`${prefix}@${name}`, value];
  }
  for (const child of node.children) {
    const key = `${prefix}${child.name}`;
    if (child.children.length === 0) yield [key, child.text];
    yield* xmlEntries(child, `${key}/`);
  }
}

/**
 * Streams a generic XML feed whose records are the elements at `recordPath`.
 * Mapped or alias-matched values fill the record; other leaf values become
 * attributes named by their selector.
 */
export async function* parseXml(input: AsyncIterable<unknown>, options: XmlOptions): AsyncGenerator<ParsedItem> {
  for await (const items of parseXmlBatches(input, options)) for (const item of items) yield item;
}

/** `parseXml`, a batch of items per chunk of the document. */
export async function* parseXmlBatches(input: AsyncIterable<unknown>, options: XmlOptions): AsyncGenerator<ParsedItem[]> {
  const recordPath = options.recordPath.replace(/^\/+|\/+$/g, '');
  if (recordPath === '') throw new FeedParseError('XML recordPath is empty; give the record elements\' path, e.g. "catalog/product"');
  const [rootName] = recordPath.split('/');
  const mapRecord = createFieldMapper(options.fields);
  const text = decodeFeed(input, options);
  const elements = walkXml(text, {
    paths: [recordPath],
    ...(options.maxRecordChars === undefined ? {} : { maxRecordChars: options.maxRecordChars }),
    onRoot: (local) => {
      if (local !== rootName) {
        throw new FeedParseError(`XML root element is <${local}>, but recordPath "${recordPath}" starts at <${rootName}>`, {
          position: { line: 1 },
        });
      }
    },
  });
  let record = 0;
  for await (const batch of elements) {
    const items: ParsedItem[] = [];
    for (const { node, oversized } of batch) {
      record++;
      const position = { line: node.line, record, path: recordPath };
      if (oversized) {
        items.push({ ok: false, reason: 'is larger than the record size limit and was not parsed', position });
        continue;
      }
      items.push(validateRecord(mapRecord(xmlEntries(node)), position));
    }
    if (items.length > 0) yield items;
  }
}

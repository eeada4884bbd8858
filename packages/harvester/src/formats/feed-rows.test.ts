import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { FeedRow } from './feed-record.js';
import { parseFeedBatches, parseFeedRowBatches, type ParseFeedOptions } from './index.js';

async function rowsOf(text: string, options: ParseFeedOptions): Promise<FeedRow[]> {
  const rows: FeedRow[] = [];
  for await (const batch of parseFeedRowBatches(Readable.from([Buffer.from(text)]), options)) rows.push(...batch);
  return rows;
}

async function itemsOf(text: string, options: ParseFeedOptions) {
  const items = [];
  for await (const batch of parseFeedBatches(Readable.from([Buffer.from(text)]), options)) items.push(...batch);
  return items;
}

const CSV = [
  'sku;id;name;price;currency;brand',
  'T-1;a1;Tent;10.50;EUR;Nordic',
  ';a2;Tarp without a sku;3.00;EUR;Alpine', // the id column stands in for the empty sku
  'T-3;a3;Too many;1;EUR;x;extra',
  'T-4;a4;;5.00;EUR;Nordic', // no name: invalid, but it has a fingerprint
  '  T-5 ;a5;Stove;20;EUR;Nordic',
].join('\n');

describe('feed rows', () => {
  it('read each CSV row into exactly the item parseFeedBatches yields, and name its id without mapping the row', async () => {
    const rows = await rowsOf(CSV, { format: 'csv' });
    const items = await itemsOf(CSV, { format: 'csv' });
    expect(rows.map((row) => row.read())).toEqual(items);
    // The row with the wrong field count is known invalid already: its id is in its item only.
    expect(rows.map((row) => row.externalId)).toEqual(['T-1', 'a2', undefined, 'T-4', 'T-5']);
    // Every row that reads as a valid record names the id the record has.
    for (const row of rows) {
      const item = row.read();
      if (item.ok) expect(row.externalId).toBe(item.record.externalId);
    }
    // Nor has it a fingerprint to be recognized by.
    expect(rows[2]?.fingerprint).toBeUndefined();
    expect(rows[2]?.read()).toMatchObject({ ok: false, externalId: 'T-3' });
    expect(rows[3]?.fingerprint).toBeDefined();
  });

  it('give a CSV row the same fingerprint in the same feed, and another when the header or the options change', async () => {
    const first = await rowsOf(CSV, { format: 'csv' });
    const again = await rowsOf(CSV, { format: 'csv' });
    expect(again.map((row) => row.fingerprint)).toEqual(first.map((row) => row.fingerprint));
    expect(new Set(first.map((row) => row.fingerprint)).size).toBe(first.length);

    // The same values under swapped headers become other fields, and the delimiter or a mapping decides too.
    const swapped = CSV.replace('sku;id;name;price;currency;brand', 'sku;id;brand;price;currency;name');
    expect((await rowsOf(swapped, { format: 'csv' }))[0]?.fingerprint).not.toBe(first[0]?.fingerprint);
    const mapped = await rowsOf(CSV, { format: 'csv', fields: { vendor: 'name' } });
    expect(mapped[0]?.fingerprint).not.toBe(first[0]?.fingerprint);
    expect((await rowsOf(CSV, { format: 'csv', delimiter: ';' }))[0]?.fingerprint).not.toBe(first[0]?.fingerprint);
    // One changed value changes that row's fingerprint only.
    const changed = await rowsOf(CSV.replace('T-1;a1;Tent;10.50', 'T-1;a1;Tent;10.60'), { format: 'csv' });
    expect(changed.map((row, i) => row.fingerprint === first[i]?.fingerprint)).toEqual([false, true, true, true, true]);
  });

  const yml = (categories: string, offers: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><yml_catalog><shop><currencies><currency id="EUR" rate="1"/></currencies>` +
    `<categories>${categories}</categories><offers>${offers}</offers></shop></yml_catalog>`;
  const TREE = '<category id="1">Outdoor</category><category id="2" parentId="1">Tents</category>';
  const OFFER = '<offer id=" Y-1 " available="true"><name>Tent</name><price>10</price><categoryId>2</categoryId></offer>';

  it('read each YML offer into exactly the item parseFeedBatches yields', async () => {
    const text = yml(TREE, `${OFFER}<offer id="Y-2"><price>1</price></offer>`);
    const rows = await rowsOf(text, { format: 'yml' });
    expect(rows.map((row) => row.read())).toEqual(await itemsOf(text, { format: 'yml' }));
    expect(rows.map((row) => row.externalId)).toEqual(['Y-1', 'Y-2']);
    expect(rows[0]?.read()).toMatchObject({ ok: true, record: { externalId: 'Y-1', category: 'Outdoor > Tents', currency: 'EUR' } });
  });

  it("give a YML offer another fingerprint when its category's path or the shop's currency changes, though its element is the same", async () => {
    const [base] = (await rowsOf(yml(TREE, OFFER), { format: 'yml' }));
    const [same] = (await rowsOf(yml(TREE, OFFER), { format: 'yml' }));
    expect(same?.fingerprint).toBe(base?.fingerprint);
    const renamed = TREE.replace('>Tents<', '>Shelters<');
    const [moved] = (await rowsOf(yml(renamed, OFFER), { format: 'yml' }));
    expect(moved?.fingerprint).not.toBe(base?.fingerprint);
    const [repriced] = (await rowsOf(yml(TREE, OFFER).replace('id="EUR"', 'id="USD"'), { format: 'yml' }));
    expect(repriced?.fingerprint).not.toBe(base?.fingerprint);
    // Attribute and text are told apart: the same characters in another place give another fingerprint.
    const [a] = (await rowsOf(yml(TREE, '<offer id="Y-1"><name>Tent</name><price>10</price></offer>'), { format: 'yml' }));
    const [b] = (await rowsOf(yml(TREE, '<offer id="Y-1"><name>Tent</name><price>1</price><x>0</x></offer>'), { format: 'yml' }));
    expect(a?.fingerprint).not.toBe(b?.fingerprint);
  });

  it('resolve a YML offer against the category tree as it stood when the offer was read', async () => {
    // A category redefined after the offer: the offer keeps the path it was read with, whenever it is read.
    const text = yml(TREE, OFFER).replace('</offers>', '</offers><categories><category id="2" parentId="1">Later</category></categories>');
    const rows = await rowsOf(text, { format: 'yml' });
    expect(rows[0]?.read()).toMatchObject({ ok: true, record: { category: 'Outdoor > Tents' } });
  });

  it('carry no fingerprint for formats that are read in full', async () => {
    const rows = await rowsOf('{"sku":"J-1","name":"Tent"}\n', { format: 'jsonl' });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.fingerprint).toBeUndefined();
    expect(rows[0]?.read()).toMatchObject({ ok: true, record: { externalId: 'J-1' } });
  });
});

import { describe, expect, it } from 'vitest';
import { TAXONOMY, taxonomyCategory } from '../taxonomy.js';
import type { ProductForClassification } from './classifier.js';
import { createKeywordClassifier, keywordPattern, normalizeText } from './keyword-classifier.js';

const product = (id: string, name: string, extra: Partial<ProductForClassification> = {}): ProductForClassification => ({
  id,
  name,
  description: null,
  vendor: null,
  category: null,
  barcode: null,
  attributes: {},
  ...extra,
});

async function categoryOf(name: string, extra: Partial<ProductForClassification> = {}): Promise<string | undefined> {
  const [outcome] = await createKeywordClassifier().classify([product('1', name, extra)]);
  return outcome?.status === 'done' ? taxonomyCategory(outcome.categoryId)?.path : undefined;
}

describe('keyword classifier', () => {
  it('classifies Russian feed names, inflections included', async () => {
    expect(await categoryOf('Палатка туристическая 3-местная Alaska')).toMatch(/> Tents$/);
    expect(await categoryOf('Спальный мешок-кокон -10°C')).toMatch(/> Sleeping Bags$/);
    expect(await categoryOf('Котелок походный 2 л')).toMatch(/Camping Cookware/);
    expect(await categoryOf('Рюкзак 65 л')).toBe('Luggage & Bags > Backpacks');
    expect(await categoryOf('Куртка мембранная мужская')).toMatch(/Coats & Jackets$/);
    expect(await categoryOf('Катушка безынерционная 3000')).toMatch(/Fishing Reels$/);
    expect(await categoryOf('Фонарь налобный 300 лм')).toMatch(/Camping Lights & Lanterns$/);
  });

  it('classifies English names and uses the supplier category and the description', async () => {
    expect(await categoryOf('Trail 2 Person Tent')).toMatch(/> Tents$/);
    expect(await categoryOf('Model X-200', { category: 'Sleeping bags', description: 'Warm down sleeping bag' })).toMatch(/Sleeping Bags$/);
    expect(await categoryOf('Alpine 120', { category: 'Горные лыжи' })).toMatch(/Skiing & Snowboarding/);
  });

  it('prefers the more specific category on a tie and needs whole words for short keywords', async () => {
    expect(await categoryOf('Tent stakes, aluminium, 8 pcs')).toMatch(/Tent Poles & Stakes$/);
    expect(await categoryOf('Skin care cream')).toBeUndefined();
    expect(keywordPattern('ski').test(normalizeText('ski jacket'))).toBe(true);
    expect(keywordPattern('ski').test(normalizeText('skin'))).toBe(false);
    expect(keywordPattern('спальн мешк').test(normalizeText('Спальные мешки'))).toBe(true);
  });

  it('is deterministic and reports products it cannot place as failures', async () => {
    const classifier = createKeywordClassifier();
    const batch = [product('1', 'Палатка Nordway'), product('2', 'Gift card 1000')];
    const first = await classifier.classify(batch);
    expect(await classifier.classify(batch)).toEqual(first);
    expect(first[0]).toMatchObject({ id: '1', status: 'done' });
    expect(first[1]).toMatchObject({ id: '2', status: 'failed', reason: expect.stringContaining('no category') });
  });

  it('only answers with categories of the taxonomy, whose ids are unique', async () => {
    expect(new Set(TAXONOMY.map((category) => category.id)).size).toBe(TAXONOMY.length);
    expect(TAXONOMY.length).toBeGreaterThanOrEqual(60);
    const outcomes = await createKeywordClassifier().classify(TAXONOMY.map((category, index) => product(String(index + 1), category.keywords[0] ?? '')));
    for (const outcome of outcomes) if (outcome.status === 'done') expect(taxonomyCategory(outcome.categoryId)).toBeDefined();
  });
});

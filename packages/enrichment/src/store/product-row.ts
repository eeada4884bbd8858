import type { ProductForClassification } from '../classifiers/classifier.js';

/** A product's classifier fields as a query returns them (jsonb may come back as text). */
export type ProductRow = Omit<ProductForClassification, 'attributes'> & {
  attributes: Record<string, string> | string | null;
};

export function toProductForClassification(row: ProductRow): ProductForClassification {
  const { attributes, ...fields } = row;
  return {
    ...fields,
    attributes: typeof attributes === 'string' ? (JSON.parse(attributes) as Record<string, string>) : (attributes ?? {}),
  };
}

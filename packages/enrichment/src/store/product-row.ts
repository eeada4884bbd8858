import type { ProductForClassification } from '../classifiers/classifier.js';

/** A product's classifier fields as a query returns them (jsonb may come back as text). */
export interface ProductRow {
  id: string;
  name: string;
  description: string | null;
  vendor: string | null;
  category: string | null;
  barcode: string | null;
  attributes: Record<string, string> | string | null;
}

export function toProductForClassification(row: ProductRow): ProductForClassification {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    vendor: row.vendor,
    category: row.category,
    barcode: row.barcode,
    attributes: typeof row.attributes === 'string' ? (JSON.parse(row.attributes) as Record<string, string>) : (row.attributes ?? {}),
  };
}

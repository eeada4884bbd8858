// The committed corpus of hostile and broken feeds and the outcome each must have.
import { readFileSync } from 'node:fs';
import type { SupplierInput } from '@contextworker/catalog';

export interface RowErrorExpectation {
  externalId?: string;
  line?: number;
  /** A substring of the reason. */
  reason: string;
}

export type CorpusExpectation =
  | { outcome: 'failed'; type: string; message: string }
  | { outcome: 'completed'; created: number; invalid: number; duplicates?: number; rowErrors?: RowErrorExpectation[] };

export interface CorpusEntry {
  file: string;
  what: string;
  supplier: Pick<SupplierInput, 'format' | 'options'>;
  expect: CorpusExpectation;
}

const corpusDir = new URL('../corpus/', import.meta.url);

export function readCorpusManifest(): CorpusEntry[] {
  const manifest = JSON.parse(readFileSync(new URL('manifest.json', corpusDir), 'utf8')) as { entries: CorpusEntry[] };
  return manifest.entries;
}

export function readCorpusFile(file: string): Buffer {
  return readFileSync(new URL(file, corpusDir));
}

/** A supplier id for a corpus file: `corpus-bom-utf8-csv` for bom-utf8.csv. */
export function corpusSupplierId(file: string): string {
  return `corpus-${file.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

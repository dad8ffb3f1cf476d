// Reads the catalog render works from: its text (embedded verbatim in the ConfigMaps) and the
// loaded, validated Catalog from the catalog loader.
import { readFile } from 'node:fs/promises';
import type { Catalog, CatalogProblem } from '../catalog/types.js';
import { loadCatalogText } from '../catalog/load.js';
import { PathprobeError } from '../errors.js';

/** The catalog as render needs it. */
export interface CatalogInput {
  text: string;
  catalog?: Catalog;
  errors: CatalogProblem[];
}

/** Reads and loads one catalog file. Throws only when the file cannot be read. */
export async function readCatalogInput(file: string): Promise<CatalogInput> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new PathprobeError('PP_CATALOG_READ', `cannot read catalog ${file}: ${(err as Error).message}`, 'check --catalog', { cause: err });
  }
  const { catalog, errors } = loadCatalogText(text, file);
  return catalog ? { text, catalog, errors } : { text, errors };
}

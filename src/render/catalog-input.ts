// Reads the catalog render works from: its text (embedded verbatim in the ConfigMaps) and the
// loaded, validated Catalog from the catalog loader.
import type { Catalog, CatalogProblem } from '../catalog/types.js';
import { loadCatalogText, readBoundedText } from '../catalog/load.js';
import { tooLargeFile } from '../catalog/parse-yaml.js';
import { LIMITS } from '../catalog/schema.js';
import { PathprobeError } from '../errors.js';

/** The catalog as render needs it. */
export interface CatalogInput {
  text: string;
  catalog?: Catalog;
  errors: CatalogProblem[];
}

/** Reads and loads one catalog file. Throws only when the file cannot be read. */
export async function readCatalogInput(file: string): Promise<CatalogInput> {
  let text: string | undefined;
  try {
    text = await readBoundedText(file, LIMITS.maxFileBytes);
  } catch (err) {
    throw new PathprobeError('PP_CATALOG_READ', `cannot read catalog ${file}: ${(err as Error).message}`, 'check --catalog', { cause: err });
  }
  if (text === undefined) return { text: '', errors: tooLargeFile(file).errors };
  const { catalog, errors } = loadCatalogText(text, file);
  return catalog ? { text, catalog, errors } : { text, errors };
}

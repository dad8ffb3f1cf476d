// Reads the catalog render works from: its text (embedded verbatim in the ConfigMaps) and the
// loaded, validated Catalog from the catalog loader.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
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
  warnings: CatalogProblem[];
}

/**
 * Reads and loads one catalog file, `file` relative to `cwd`; problems name it as given (as
 * validate does). Throws only when the file cannot be read.
 */
export async function readCatalogInput(file: string, cwd = process.cwd()): Promise<CatalogInput> {
  let text: string | undefined;
  try {
    if ((await stat(resolve(cwd, file))).isDirectory()) {
      throw new PathprobeError('PP_CATALOG_READ', `render --catalog takes one catalog file, and ${file} is a directory`,
        'the file becomes the agents\' ConfigMap key catalog.yaml: merge the directory\'s files into one (pathprobe validate --merge checks them as one catalog)');
    }
    text = await readBoundedText(resolve(cwd, file), LIMITS.maxFileBytes);
  } catch (err) {
    if (err instanceof PathprobeError) throw err;
    throw new PathprobeError('PP_CATALOG_READ', `cannot read catalog ${file}: ${(err as Error).message}`, 'check --catalog', { cause: err });
  }
  if (text === undefined) return { text: '', errors: tooLargeFile(file).errors, warnings: [] };
  const { catalog, errors, warnings } = loadCatalogText(text, file);
  return catalog ? { text, catalog, errors, warnings } : { text, errors, warnings };
}

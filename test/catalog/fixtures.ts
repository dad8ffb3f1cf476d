// Helpers for catalog tests: read a fixture and load it under its base name, so messages are
// stable wherever the tests run from.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCatalogText } from '../../src/catalog/load.js';
import type { CatalogLoadResult } from '../../src/catalog/types.js';

/** Absolute path of a fixture under test/catalog/fixtures/. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** Loads fixture `bad/x.yaml` as file `x.yaml`. */
export function loadFixture(name: string): CatalogLoadResult {
  return loadCatalogText(readFileSync(fixturePath(name), 'utf8'), name.split('/').at(-1) ?? name);
}

/** Wraps path entries (YAML text, indented by two) in a minimal catalog. */
export function catalogWith(paths: string, head = ''): string {
  return `apiVersion: pathprobe/v1\nkind: PathCatalog\n${head}paths:\n${paths}`;
}

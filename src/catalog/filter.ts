// Selecting the paths one agent runs (`run --source NAME`, `check --source NAME`).
import { PathprobeError } from '../errors.js';
import type { Catalog, PathSpec } from './types.js';

/** `--source` named a source the catalog does not know. */
export class UnknownSourceError extends PathprobeError {
  constructor(
    readonly source: string,
    readonly known: string[],
  ) {
    super(
      'PP_UNKNOWN_SOURCE',
      `unknown source "${source}"`,
      known.length === 0 ? 'the catalog declares no sources' : `known sources: ${known.join(', ')}`,
    );
    this.name = 'UnknownSourceError';
  }
}

/**
 * The paths probed by source `sourceName` (declared, or derived from an inline `from`), in
 * catalog order. Throws UnknownSourceError, whose hint lists the known sources.
 */
export function filterBySource(catalog: Catalog, sourceName: string): PathSpec[] {
  if (!Object.hasOwn(catalog.sources, sourceName)) {
    throw new UnknownSourceError(sourceName, Object.keys(catalog.sources).sort());
  }
  return catalog.paths.filter((p) => p.source.name === sourceName);
}

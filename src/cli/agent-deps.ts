// The real catalog loader and probers: what `run`, `check` and `demo` run on.
import { filterBySource, formatProblem, loadCatalogFiles } from '../catalog/load.js';
import { runProbe } from '../probe/probers.js';
import type { CheckDeps } from './check-command.js';

/** The production dependencies of the agent commands (tests inject their own). */
export async function loadAgentDeps(): Promise<CheckDeps> {
  return { loadCatalog: (paths) => loadCatalogFiles(paths), selectPaths: filterBySource, formatProblem, prober: runProbe };
}

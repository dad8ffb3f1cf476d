// The real catalog loader and probers: what `run`, `check` and `demo` run on.
import { filterBySource, formatProblem } from '../catalog/load.js';
import { loadCatalogOffThread } from '../catalog/load-off-thread.js';
import { runProbe } from '../probe/probers.js';
import type { CheckDeps } from './check-command.js';

/**
 * The production dependencies of the agent commands (tests inject their own). The catalog is
 * parsed in a worker thread, so an agent's reload does not stall its probes.
 */
export async function loadAgentDeps(): Promise<CheckDeps> {
  return { loadCatalog: (paths) => loadCatalogOffThread(paths), selectPaths: filterBySource, formatProblem, prober: runProbe };
}

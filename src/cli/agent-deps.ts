// The real catalog loader and probers: what `run`, `check` and `demo` run on.
import { filterBySource, formatProblem, loadCatalogFiles } from '../catalog/load.js';
import { PathprobeError } from '../errors.js';
import type { Prober } from '../probe/types.js';
import type { CheckDeps } from './check-command.js';

// Interim: src/probe/probers.ts (runProbe) is being built in parallel. Until it is on main the
// module is imported by a computed name so the build stays clean; then this becomes a static
// `import { runProbe } from '../probe/probers.js'`.
const PROBERS_MODULE = '../probe/probers.js';

/** Loads the dependencies; throws PP_NO_PROBERS when the probers are not part of this build. */
export async function loadAgentDeps(): Promise<CheckDeps> {
  let prober: Prober;
  try {
    prober = ((await import(PROBERS_MODULE)) as { runProbe: Prober }).runProbe;
  } catch (error) {
    throw new PathprobeError('PP_NO_PROBERS', 'this build has no probers (src/probe/probers.ts)', 'build from a tree that includes the probers', { cause: error });
  }
  return { loadCatalog: (paths) => loadCatalogFiles(paths), selectPaths: filterBySource, formatProblem, prober };
}

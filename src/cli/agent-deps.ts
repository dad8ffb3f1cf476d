// The real catalog loader and probers: what `run`, `check` and `demo` run on.
import { filterBySource, formatProblem } from '../catalog/load.js';
import { loadCatalogOffThread } from '../catalog/load-off-thread.js';
import { runProbe } from '../probe/probers.js';
import type { CheckDeps } from './check-command.js';

/** What the agent commands (`run`, `demo`) are given: the agent runs the built-in probers on its probe thread. */
export type AgentDeps = Omit<CheckDeps, 'prober'>;

/**
 * The production dependencies of the agent commands (tests inject their own). The catalog is
 * parsed in a worker thread, so an agent's reload does not stall its probes.
 */
export async function loadAgentDeps(): Promise<AgentDeps> {
  return { loadCatalog: (paths) => loadCatalogOffThread(paths), selectPaths: filterBySource, formatProblem };
}

/** The dependencies of `check`: the agent's, and the built-in probers it runs once on its own thread. */
export async function loadCheckDeps(): Promise<CheckDeps> {
  return { ...(await loadAgentDeps()), prober: runProbe };
}

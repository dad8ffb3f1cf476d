// The catalog a scenario's agents run: one source per pod with an agent, the scenario's paths,
// `{{pod}}` in a target replaced by that pod's address.
import { stringify } from 'yaml';
import type { LabScenario } from './scenario-types.js';
import { agentPods } from './scenarios.js';

/** Probe cadence of the lab: short, so a scenario settles in seconds. */
export interface LabTiming {
  interval: string;
  timeout: string;
}

export const TEST_TIMING: LabTiming = { interval: '1s', timeout: '500ms' };

/** The catalog YAML for `scenario`. */
export function renderCatalog(scenario: LabScenario, addressOf: (pod: string) => string, timing: LabTiming): string {
  const sources = Object.fromEntries(
    agentPods(scenario).map((p) => [p.name, { namespace: p.namespace, labels: { app: p.name, ...p.labels } }]),
  );
  const paths = scenario.paths.map((p) => ({
    ...p,
    to: p.to.replace(/\{\{([a-z0-9-]+)\}\}/g, (_, pod: string) => addressOf(pod)),
  }));
  return stringify({ apiVersion: 'pathprobe/v1', kind: 'PathCatalog', defaults: { ...timing, severity: 'critical' }, sources, paths });
}

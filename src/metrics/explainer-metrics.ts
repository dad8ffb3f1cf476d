// The policy explainer's metrics: pathprobe_policy_verdict (a state set per path) and
// pathprobe_path_ready_endpoints. Label values come only from catalog path names and the fixed
// verdict set.
import { Gauge, type Registry } from 'prom-client';

/** The verdict states, in the order PRODUCT.md lists them. */
export const POLICY_VERDICTS = ['allowed', 'denied_ingress', 'denied_egress', 'unknown'] as const;
export type PolicyVerdictState = (typeof POLICY_VERDICTS)[number];

/** Writes the explainer's series into an injected registry. */
export interface ExplainerMetrics {
  /** 1 for `verdict`, 0 for every other state; anything outside the set is exported as `unknown`. */
  setVerdict(path: string, verdict: string): void;
  /** Ready endpoints of the path's target Service; undefined removes the series (not a Service target). */
  setReadyEndpoints(path: string, count: number | undefined): void;
  /** Removes every series of a path that left the catalog. */
  forget(path: string): void;
}

/** Registers the explainer's metrics on `registry` (never the global one). */
export function createExplainerMetrics(registry: Registry): ExplainerMetrics {
  const verdict = new Gauge({
    name: 'pathprobe_policy_verdict',
    help: 'NetworkPolicy verdict of the path from the live cluster state: 1 for the current verdict, 0 for the others.',
    labelNames: ['path', 'verdict'] as const,
    registers: [registry],
  });
  const ready = new Gauge({
    name: 'pathprobe_path_ready_endpoints',
    help: 'Ready endpoints of the path\'s target Service, from its EndpointSlices (absent for non-Service targets).',
    labelNames: ['path'] as const,
    registers: [registry],
  });
  return {
    setVerdict(path, v) {
      const state: PolicyVerdictState = (POLICY_VERDICTS as readonly string[]).includes(v) ? (v as PolicyVerdictState) : 'unknown';
      for (const s of POLICY_VERDICTS) verdict.set({ path, verdict: s }, s === state ? 1 : 0);
    },
    setReadyEndpoints(path, count) {
      if (count === undefined) ready.remove({ path });
      else ready.set({ path }, count);
    },
    forget(path) {
      for (const s of POLICY_VERDICTS) verdict.remove({ path, verdict: s });
      ready.remove({ path });
    },
  };
}

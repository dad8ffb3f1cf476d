// The explainer's answer per path: the `explain` JSON contract of PRODUCT.md plus notes.
import type { Expect } from '../catalog/types.js';
import type { RuleRef } from './evaluate.js';

/** Policy verdicts of a path (the `verdict` label of pathprobe_policy_verdict). */
export const VERDICTS = ['allowed', 'denied_ingress', 'denied_egress', 'unknown'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** One direction of a path, summed over its connections. */
export interface DirectionSummary {
  /** False for ingress to an address outside the pod network. */
  applies: boolean;
  /** Some policy selects a pod of this side for this direction. */
  isolated: boolean;
  /** true: every connection allowed; false: some denied; null: hangs on an unknown address. */
  allowed: boolean | null;
  /** Policies (`ns/name`) that isolate this side. */
  isolatedBy: string[];
  /** Rules that allow the traffic. */
  allowedBy: RuleRef[];
}

/** Connection counts behind a verdict (sources × destination endpoints × protocols). */
export interface ConnectionCounts {
  total: number;
  allowed: number;
  deniedEgress: number;
  deniedIngress: number;
  unknown: number;
}

/** The explanation of one path. */
export interface PathExplanation {
  path: string;
  expect: Expect;
  verdict: Verdict;
  /** The verdict is what `expect` declares (reachable ↔ allowed, blocked ↔ denied_*). */
  matches: boolean;
  /** Who connects, e.g. `external-secrets/{app.kubernetes.io/name=external-secrets}`. */
  from: string;
  /** What is reached, e.g. `Service vault/vault TCP 8200`. */
  to: string;
  egress: DirectionSummary;
  ingress: DirectionSummary;
  /** A NetworkPolicy YAML (one or two documents) that would allow the path; null when none. */
  suggestion: string | null;
  /** The engine re-evaluated the path with the suggestion added and it became allowed. */
  suggestionVerified?: boolean;
  connections: ConnectionCounts;
  /** Why, in sentences: the missing allow, the too-broad rules, what could not be evaluated. */
  notes: string[];
}

/** The `explain --output json` document. */
export interface ExplainReport {
  paths: PathExplanation[];
}

/** True when a verdict satisfies what a path expects (`unknown` never does). */
export function verdictMatches(expect: Expect, verdict: Verdict): boolean {
  if (verdict === 'unknown') return false;
  return expect === 'reachable' ? verdict === 'allowed' : verdict !== 'allowed';
}

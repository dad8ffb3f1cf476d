// Alert annotation text: Prometheus (Go) templates over the alert's labels and value, written
// once here so every alert names the path the same way and says what to check first.
import { RESULT_MEANING, type ResultClass } from '../classify/result-class.js';
import { runbookAnchor } from './links.js';
import { VERDICT_CODES } from './promql.js';

const L = (name: string): string => `{{ $labels.${name} }}`;
const orElse = (label: string, fallback: string): string =>
  `{{ if $labels.${label} }}{{ $labels.${label} }}{{ else }}${fallback}{{ end }}`;

/** The path label. */
export const L_PATH = L('path');
/** `source (namespace ns)`. */
export const FROM = `${L('source')} (namespace ${L('from_namespace')})`;
/** The destination namespace, or a placeholder for targets outside the cluster's Services. */
export const TO_NS = orElse('to_namespace', '<destination namespace>');
/** `Path p (tcp) from src (namespace a) to target`. */
export const PATH_PHRASE = `Path ${L_PATH} (${L('check')}) from ${FROM} to ${L('target')}`;

/** The path's own runbook when the catalog names one, else the project's section for `alert`. */
export function runbookUrl(alert: string): string {
  return orElse('runbook_url', runbookAnchor(alert));
}

/** "<meaning>" of a result class, as the contract words it. */
export function meaning(result: ResultClass): string {
  return RESULT_MEANING[result].meaning;
}

/** `kubectl get networkpolicy -n <ns>` for the source and, when in-cluster, the destination. */
export const LIST_POLICIES =
  `the NetworkPolicies of the destination (kubectl get networkpolicy -n ${TO_NS}) ` +
  `and of the source (kubectl get networkpolicy -n ${L('from_namespace')})`;

/** What the policy explainer says, from the alert value (VERDICT_CODES, 0 = no explainer). */
export const VERDICT_SENTENCE = [
  `{{ if eq $value ${VERDICT_CODES.denied_ingress}.0 }}The policy explainer agrees: no NetworkPolicy allows ingress at the destination.`,
  `{{ else if eq $value ${VERDICT_CODES.denied_egress}.0 }}The policy explainer agrees: no NetworkPolicy allows egress at the source.`,
  `{{ else if eq $value ${VERDICT_CODES.allowed}.0 }}The policy explainer finds the path allowed by NetworkPolicy: look at policy kinds beyond v1 NetworkPolicy (Calico, Cilium) and at the CNI.`,
  `{{ else if eq $value ${VERDICT_CODES.unknown}.0 }}The policy explainer cannot decide (policy kinds it does not evaluate yet).`,
  `{{ else }}No policy verdict (the pathprobe explainer is not running).{{ end }}`,
].join('');

/**
 * A Go-template `if / else if` chain on the `result` label: one text per class, in order.
 * Classes not listed render `otherwise`.
 */
export function perResult(texts: ReadonlyArray<readonly [ResultClass, string]>, otherwise = ''): string {
  const parts = texts.map(([result, text], i) =>
    `{{ ${i === 0 ? 'if' : 'else if'} eq $labels.result "${result}" }}${text}`);
  return `${parts.join('')}{{ else }}${otherwise}{{ end }}`;
}

// The labels an agent pod wears: the source's own labels (so every policy and Service that selects
// the real workload selects the agent too) plus pathprobe's identifying labels.
import type { SourceIdentity } from '../catalog/types.js';

/** The label that marks an agent pod and names its source; selectors of pathprobe's own objects use it. */
export const AGENT_LABEL = 'pathprobe/agent';

/**
 * The standard labels pathprobe adds to an agent pod unless the source already sets the key. Only
 * pathprobe-specific values: a generic one (say `app.kubernetes.io/component: agent`) could make a
 * foreign policy select the agent but not the workload, and the probe would stop being representative.
 */
export const AGENT_STANDARD_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'pathprobe-agent',
  'app.kubernetes.io/part-of': 'pathprobe',
};

/** The pod labels of one agent and which standard labels the source overrode. */
export interface AgentPodLabels {
  /** Sorted by key. */
  labels: Record<string, string>;
  /** Standard label keys whose value came from the source instead (the source wins). */
  overridden: string[];
}

/**
 * Labels for the agent pod of `source`. The source's labels win over pathprobe's standard labels:
 * the agent exists to be selected exactly like the workload, so a source that sets e.g.
 * `app.kubernetes.io/name` keeps its value. `pathprobe/agent` is reserved (see
 * {@link reservedLabelProblem}); callers must reject a source that sets it before calling this.
 */
export function agentPodLabels(source: SourceIdentity): AgentPodLabels {
  const merged: Record<string, string> = { ...AGENT_STANDARD_LABELS };
  const overridden: string[] = [];
  for (const [key, value] of Object.entries(source.labels)) {
    if (key in AGENT_STANDARD_LABELS && AGENT_STANDARD_LABELS[key] !== value) overridden.push(key);
    merged[key] = value;
  }
  merged[AGENT_LABEL] = source.name;
  return { labels: sortedRecord(merged), overridden: overridden.sort() };
}

/** The labels of pathprobe's own objects (Deployment, ConfigMap, PodMonitor...), not of pods. */
export function objectLabels(component: string, instance?: string): Record<string, string> {
  const labels: Record<string, string> = {
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/managed-by': 'pathprobe-render',
    'app.kubernetes.io/name': component === 'agent' ? 'pathprobe-agent' : 'pathprobe',
    'app.kubernetes.io/part-of': 'pathprobe',
  };
  if (instance !== undefined) {
    labels['app.kubernetes.io/instance'] = instance;
    labels[AGENT_LABEL] = instance;
  }
  return sortedRecord(labels);
}

/** A message when `source` sets the reserved `pathprobe/agent` label, else undefined. */
export function reservedLabelProblem(source: SourceIdentity): string | undefined {
  if (!(AGENT_LABEL in source.labels)) return undefined;
  return `source "${source.name}" sets the reserved label ${AGENT_LABEL}; render sets it to the source name ` +
    `and selects agent pods by it — remove it from the source's labels`;
}

/** True when every key=value of `selector` is among `labels` (an empty selector matches nothing here). */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/** A copy of `record` with keys in code-point order, for byte-stable output. */
export function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key] as T;
  return out;
}

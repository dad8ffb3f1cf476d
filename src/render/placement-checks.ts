// render's safety checks against the user's manifests: a Service that would select an agent pod
// (and send it the workload's traffic), and an agent port that collides with the workload's ports.
import type { SourceIdentity } from '../catalog/types.js';
import { selectorMatches } from './agent-labels.js';
import { isRecord } from '../netpol/objects.js';
import type { ManifestObject } from './read-manifests.js';

/** An agent as the checks see it. */
export interface PlacedAgent {
  source: SourceIdentity;
  podLabels: Record<string, string>;
  port: number;
}

/** Why render refuses an agent. */
export interface PlacementProblem {
  source: string;
  kind: 'service-selects-agent' | 'port-collision';
  message: string;
}

// A manifest without metadata.namespace is applied into a namespace chosen later (kustomize,
// `kubectl -n`); it is checked against every namespace rather than assumed to be "default".
function inNamespace(object: ManifestObject, namespace: string): boolean {
  return object.namespace === undefined || object.namespace === namespace;
}

function where(object: ManifestObject): string {
  const ns = object.namespace === undefined ? ' (no namespace in the manifest: checked against every namespace)' : '';
  return `${object.origin}${ns}`;
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** Services in the agent's namespace whose selector matches the agent's pod labels. */
export function findSelectingServices(agent: PlacedAgent, manifests: ManifestObject[]): PlacementProblem[] {
  const problems: PlacementProblem[] = [];
  for (const o of manifests) {
    if (o.kind !== 'Service' || !inNamespace(o, agent.source.namespace)) continue;
    const spec = (o.body.spec ?? {}) as Record<string, unknown>;
    // A Service without a selector has hand-managed endpoints and selects no pod.
    const selector = stringRecord(spec.selector);
    if (!selectorMatches(selector, agent.podLabels)) continue;
    const matching = Object.entries(selector).map(([k, v]) => `${k}=${v}`).sort().join(', ');
    problems.push({
      source: agent.source.name,
      kind: 'service-selects-agent',
      message: `Service ${agent.source.namespace}/${o.name} (${where(o)}) selects the agent pods of source ` +
        `"${agent.source.name}" through ${matching}: it would send the workload's traffic to the agent`,
    });
  }
  return problems;
}

interface PodTemplate {
  labels: Record<string, string>;
  containers: Array<Record<string, unknown>>;
}

function podTemplateOf(o: ManifestObject): PodTemplate | undefined {
  const spec = o.body.spec as Record<string, any> | undefined;
  if (!spec) return undefined;
  const meta = o.body.metadata as Record<string, unknown> | undefined;
  let template: Record<string, any> | undefined;
  if (o.kind === 'Pod') template = { metadata: meta, spec };
  else if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController'].includes(o.kind)) template = spec.template;
  else if (o.kind === 'CronJob') template = spec.jobTemplate?.spec?.template;
  if (!isRecord(template) || !isRecord(template.spec)) return undefined;
  // Manifests are user input (a half-rendered Helm chart): a containers list that is not a list,
  // or holds something other than a mapping, declares no ports here; the API server refuses it.
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  const containers = [...list(template.spec.containers), ...list(template.spec.initContainers)].filter(isRecord);
  return { labels: stringRecord(isRecord(template.metadata) ? template.metadata.labels : undefined), containers };
}

/**
 * Workloads of the source (pods in its namespace carrying all the source's labels; every pod of
 * the namespace for a label-less source) that declare the agent's port as a containerPort.
 */
export function findPortCollisions(agent: PlacedAgent, manifests: ManifestObject[]): PlacementProblem[] {
  const problems: PlacementProblem[] = [];
  for (const o of manifests) {
    if (!inNamespace(o, agent.source.namespace)) continue;
    const template = podTemplateOf(o);
    if (!template) continue;
    const sourceLabels = Object.entries(agent.source.labels);
    if (!sourceLabels.every(([k, v]) => template.labels[k] === v)) continue;
    for (const c of template.containers) {
      const ports = Array.isArray(c.ports) ? c.ports : [];
      for (const p of ports) {
        if (!isRecord(p) || p.containerPort !== agent.port) continue;
        problems.push({
          source: agent.source.name,
          kind: 'port-collision',
          message: `${o.kind} ${agent.source.namespace}/${o.name} (${where(o)}) container "${String(c.name)}" ` +
            `uses port ${agent.port}, the agent's port for source "${agent.source.name}": policies and monitors ` +
            `written for that port would apply to the agent too — choose another with --port`,
        });
      }
    }
  }
  return problems;
}

/** All placement problems of all agents, in a stable order. */
export function checkPlacement(agents: PlacedAgent[], manifests: ManifestObject[]): PlacementProblem[] {
  return agents.flatMap((a) => [...findSelectingServices(a, manifests), ...findPortCollisions(a, manifests)]);
}

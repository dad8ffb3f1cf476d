// The Kubernetes object shapes the explainer reads (as untyped YAML), which kinds matter, and
// where each object came from. Everything beyond these kinds is ignored.
import type { SourceLocation } from '../catalog/types.js';

/** A Kubernetes object as decoded from YAML or JSON: nothing is trusted yet. */
export interface KubeObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: unknown;
  spec?: unknown;
  status?: unknown;
  [key: string]: unknown;
}

/** An object with the place it was read from; `locate` finds a nested node's position. */
export interface LocatedObject {
  object: KubeObject;
  location?: SourceLocation;
  locate?: (path: (string | number)[]) => SourceLocation | undefined;
}

/** A mistake in an input object, located when possible. */
export interface ManifestProblem {
  file: string;
  line: number;
  col: number;
  /** Path of the bad node inside the object, e.g. `spec.ingress[0].from[1]`. */
  yamlPath: string;
  message: string;
  /** `fatal`: the input could not be read (YAML syntax); `error`: the API server would reject
   * the object; `warning`: ignored or partly ignored. */
  severity: 'fatal' | 'error' | 'warning';
}

/** Workload kinds whose pod template stands for pods that may not exist yet. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController'] as const;

/** Policy kinds beyond networking.k8s.io/v1 that the explainer recognises but does not evaluate. */
export const FOREIGN_POLICY_KINDS: readonly { group: string; kind: string; clusterWide: boolean }[] = [
  { group: 'crd.projectcalico.org', kind: 'NetworkPolicy', clusterWide: false },
  { group: 'crd.projectcalico.org', kind: 'GlobalNetworkPolicy', clusterWide: true },
  { group: 'projectcalico.org', kind: 'NetworkPolicy', clusterWide: false },
  { group: 'projectcalico.org', kind: 'GlobalNetworkPolicy', clusterWide: true },
  { group: 'cilium.io', kind: 'CiliumNetworkPolicy', clusterWide: false },
  { group: 'cilium.io', kind: 'CiliumClusterwideNetworkPolicy', clusterWide: true },
  { group: 'policy.networking.k8s.io', kind: 'AdminNetworkPolicy', clusterWide: true },
  { group: 'policy.networking.k8s.io', kind: 'BaselineAdminNetworkPolicy', clusterWide: true },
  { group: 'policy.networking.k8s.io', kind: 'ClusterNetworkPolicy', clusterWide: true },
];

/** What role an object plays for the explainer. */
export type ObjectRole =
  | 'namespace' | 'pod' | 'workload' | 'service' | 'endpointslice' | 'networkpolicy' | 'foreign-policy' | 'ignored';

/** The API group of an apiVersion (`networking.k8s.io/v1` → `networking.k8s.io`, `v1` → ''). */
export function apiGroup(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Classifies an object by apiVersion and kind. */
export function objectRole(obj: KubeObject): ObjectRole {
  const group = apiGroup(obj.apiVersion);
  const kind = obj.kind;
  if (typeof kind !== 'string') return 'ignored';
  if (group === '' && kind === 'Namespace') return 'namespace';
  if (group === '' && kind === 'Pod') return 'pod';
  if (group === '' && kind === 'Service') return 'service';
  if (group === 'discovery.k8s.io' && kind === 'EndpointSlice') return 'endpointslice';
  if (group === 'networking.k8s.io' && kind === 'NetworkPolicy') return 'networkpolicy';
  if ((group === 'apps' || group === 'batch' || group === '') && (WORKLOAD_KINDS as readonly string[]).includes(kind)) {
    if (group === '' && kind !== 'ReplicationController') return 'ignored';
    return 'workload';
  }
  if (FOREIGN_POLICY_KINDS.some((f) => f.group === group && f.kind === kind)) return 'foreign-policy';
  return 'ignored';
}

/** True for cluster-scoped foreign policy kinds. */
export function isClusterWideForeign(obj: KubeObject): boolean {
  const group = apiGroup(obj.apiVersion);
  return FOREIGN_POLICY_KINDS.some((f) => f.group === group && f.kind === obj.kind && f.clusterWide);
}

/** Plain-object test used by every decoder. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** metadata.name / namespace / labels, validated loosely. */
export function readMeta(obj: KubeObject): { name?: string; namespace?: string; labels: Record<string, string>; labelProblem?: string } {
  const meta = isRecord(obj.metadata) ? obj.metadata : {};
  const labels: Record<string, string> = {};
  let labelProblem: string | undefined;
  if (meta.labels !== undefined && meta.labels !== null) {
    if (!isRecord(meta.labels)) labelProblem = 'metadata.labels must be a mapping';
    else {
      for (const [k, v] of Object.entries(meta.labels)) {
        if (typeof v === 'string') labels[k] = v;
        else labelProblem = `label "${k}" must have a string value (quote it)`;
      }
    }
  }
  const out: ReturnType<typeof readMeta> = { labels };
  if (typeof meta.name === 'string' && meta.name !== '') out.name = meta.name;
  if (typeof meta.namespace === 'string' && meta.namespace !== '') out.namespace = meta.namespace;
  if (labelProblem) out.labelProblem = labelProblem;
  return out;
}

/** Renders a path array as `spec.ingress[0].from`. */
export function formatPath(path: (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

// The five resource kinds the explainer watches, where each is listed/watched on the API server,
// and the TypeScript type of its objects. Read-only: nothing here names a write verb.
import type { V1EndpointSlice, V1Namespace, V1NetworkPolicy, V1Pod, V1Service } from '@kubernetes/client-node';

/** Object type per watched kind. */
export interface KindObjects {
  Namespace: V1Namespace;
  Pod: V1Pod;
  Service: V1Service;
  EndpointSlice: V1EndpointSlice;
  NetworkPolicy: V1NetworkPolicy;
}

/** A watched kind's name. */
export type WatchedKind = keyof KindObjects;

/** Where a kind lives on the API server (cluster-wide collection paths). */
export interface KindResource {
  kind: WatchedKind;
  /** apiVersion of the objects and of the `<Kind>List`. */
  apiVersion: string;
  /** Collection path, e.g. `/apis/networking.k8s.io/v1/networkpolicies`. */
  path: string;
  /** Plural resource name, as RBAC names it. */
  resource: string;
  /** API group ('' for the core group), as RBAC names it. */
  group: string;
  namespaced: boolean;
}

/** Every watched kind, in the order their informers start. */
export const WATCHED_KINDS: readonly KindResource[] = [
  { kind: 'Namespace', apiVersion: 'v1', path: '/api/v1/namespaces', resource: 'namespaces', group: '', namespaced: false },
  { kind: 'Pod', apiVersion: 'v1', path: '/api/v1/pods', resource: 'pods', group: '', namespaced: true },
  { kind: 'Service', apiVersion: 'v1', path: '/api/v1/services', resource: 'services', group: '', namespaced: true },
  {
    kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', path: '/apis/discovery.k8s.io/v1/endpointslices',
    resource: 'endpointslices', group: 'discovery.k8s.io', namespaced: true,
  },
  {
    kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', path: '/apis/networking.k8s.io/v1/networkpolicies',
    resource: 'networkpolicies', group: 'networking.k8s.io', namespaced: true,
  },
];

/** The minimal shape every Kubernetes object has. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; uid?: string };
}

/** Cache key of an object: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata?.namespace ?? '';
  const name = obj.metadata?.name ?? '';
  return ns === '' ? name : `${ns}/${name}`;
}

// The compiled cluster model: namespaces, pods (real and from templates), Services,
// EndpointSlices, NetworkPolicies indexed by namespace, and policies the explainer cannot
// evaluate. Objects are applied one at a time so a live watcher can update it incrementally.
import { decodeEndpointSlice, decodePod, decodeService, decodeWorkload, type EndpointSliceInfo, type PodInfo, type ServiceInfo } from './decode.js';
import { apiGroup, isClusterWideForeign, objectRole, readMeta, type KubeObject } from './objects.js';
import { compilePolicy, type CompiledPolicy } from './policy.js';
import type { Labels } from './selector.js';

/** The label every namespace carries with its own name (Kubernetes ≥ 1.22). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A policy that may affect traffic but that the explainer does not evaluate. */
export interface OpaquePolicy {
  /** `apiVersion kind` as written, e.g. `crd.projectcalico.org/v1 GlobalNetworkPolicy`. */
  kind: string;
  /** Namespace it lives in; undefined when cluster-wide. */
  namespace?: string;
  name: string;
  why: 'unsupported-kind' | 'invalid';
  /** Human detail (the first validation problem for an invalid policy). */
  detail: string;
}

/** Which cached results an update may have changed. */
export interface ChangeScope {
  namespaces: Set<string>;
  /** Every path is affected (a cluster-wide policy changed). */
  all: boolean;
  /** Pods or Services changed: paths whose target is an IP must be re-resolved. */
  addresses: boolean;
}

/** Result of applying one object. */
export interface ModelUpdate {
  role: ReturnType<typeof objectRole>;
  scope: ChangeScope;
  problems: { path: (string | number)[]; message: string }[];
}

/** Options of the model. */
export interface ModelOptions {
  /** Namespace of objects that name none (what `kubectl apply` would use); default `default`. */
  defaultNamespace?: string;
}

function emptyScope(): ChangeScope {
  return { namespaces: new Set(), all: false, addresses: false };
}

/** The compiled cluster. Read by the evaluator; written by `upsert`/`remove`. */
export class ClusterModel {
  readonly defaultNamespace: string;
  private readonly declaredNamespaces = new Map<string, Labels>();
  private readonly nsLabelCache = new Map<string, Labels>();
  /** namespace → object key (`Pod/x`, `Deployment/y`) → pod. */
  private readonly pods = new Map<string, Map<string, PodInfo>>();
  private readonly podList = new Map<string, PodInfo[]>();
  private readonly podsByIp = new Map<string, PodInfo>();
  private readonly services = new Map<string, ServiceInfo>();
  private readonly slices = new Map<string, EndpointSliceInfo>();
  private readonly policies = new Map<string, Map<string, CompiledPolicy>>();
  private readonly policyList = new Map<string, CompiledPolicy[]>();
  private readonly opaque = new Map<string, OpaquePolicy>();

  constructor(options: ModelOptions = {}) {
    this.defaultNamespace = options.defaultNamespace ?? 'default';
  }

  /** Builds a model from objects; problems are returned per object index. */
  static fromObjects(objects: readonly KubeObject[], options: ModelOptions = {}): { model: ClusterModel; problems: { index: number; path: (string | number)[]; message: string }[] } {
    const model = new ClusterModel(options);
    const problems: { index: number; path: (string | number)[]; message: string }[] = [];
    objects.forEach((o, index) => {
      for (const p of model.upsert(o).problems) problems.push({ index, ...p });
    });
    return { model, problems };
  }

  /** Adds or replaces one object. */
  upsert(obj: KubeObject): ModelUpdate {
    return this.apply(obj, false);
  }

  /** Removes one object (identified by apiVersion, kind, namespace and name). */
  remove(obj: KubeObject): ModelUpdate {
    return this.apply(obj, true);
  }

  private apply(obj: KubeObject, removing: boolean): ModelUpdate {
    const role = objectRole(obj);
    const scope = emptyScope();
    const update: ModelUpdate = { role, scope, problems: [] };
    const meta = readMeta(obj);
    const ns = meta.namespace ?? this.defaultNamespace;
    if (role === 'ignored') return update;
    if (!meta.name) {
      update.problems.push({ path: ['metadata', 'name'], message: `${String(obj.kind)} needs metadata.name` });
      return update;
    }
    const name = meta.name;
    switch (role) {
      case 'namespace': {
        if (meta.labelProblem) update.problems.push({ path: ['metadata', 'labels'], message: meta.labelProblem });
        if (removing) this.declaredNamespaces.delete(name);
        else this.declaredNamespaces.set(name, meta.labels);
        this.nsLabelCache.delete(name);
        scope.namespaces.add(name);
        return update;
      }
      case 'pod':
      case 'workload': {
        const key = `${String(obj.kind)}/${name}`;
        this.deletePod(ns, key);
        if (!removing) {
          const decoded = role === 'pod' ? decodePod(obj, this.defaultNamespace) : decodeWorkload(obj, this.defaultNamespace);
          update.problems.push(...decoded.problems);
          if (decoded.pod) this.addPod(key, decoded.pod);
        }
        scope.namespaces.add(ns);
        scope.addresses = true;
        return update;
      }
      case 'service': {
        this.services.delete(`${ns}/${name}`);
        if (!removing) {
          const decoded = decodeService(obj, this.defaultNamespace);
          update.problems.push(...decoded.problems);
          if (decoded.service) this.services.set(`${ns}/${name}`, decoded.service);
        }
        scope.namespaces.add(ns);
        scope.addresses = true;
        return update;
      }
      case 'endpointslice': {
        this.slices.delete(`${ns}/${name}`);
        if (!removing) {
          const decoded = decodeEndpointSlice(obj, this.defaultNamespace);
          update.problems.push(...decoded.problems);
          if (decoded.slice) this.slices.set(`${ns}/${name}`, decoded.slice);
        }
        scope.namespaces.add(ns);
        scope.addresses = true;
        return update;
      }
      case 'networkpolicy': {
        const key = `${ns}/${name}`;
        this.policies.get(ns)?.delete(key);
        this.policyList.delete(ns);
        this.opaque.delete(`NetworkPolicy:${key}`);
        if (!removing) {
          const compiled = compilePolicy(obj, this.defaultNamespace);
          update.problems.push(...compiled.problems);
          if (compiled.policy) {
            let m = this.policies.get(ns);
            if (!m) this.policies.set(ns, (m = new Map()));
            m.set(key, compiled.policy);
          } else {
            // The API server would reject it; the cluster's real state is unknown here.
            this.opaque.set(`NetworkPolicy:${key}`, {
              kind: 'networking.k8s.io/v1 NetworkPolicy', namespace: ns, name, why: 'invalid',
              detail: compiled.problems[0]?.message ?? 'invalid',
            });
          }
        }
        scope.namespaces.add(ns);
        return update;
      }
      case 'foreign-policy': {
        const clusterWide = isClusterWideForeign(obj);
        const key = `${apiGroup(obj.apiVersion)}/${String(obj.kind)}:${clusterWide ? '' : ns}/${name}`;
        if (removing) this.opaque.delete(key);
        else {
          const entry: OpaquePolicy = { kind: `${String(obj.apiVersion)} ${String(obj.kind)}`, name, why: 'unsupported-kind', detail: 'not evaluated' };
          if (!clusterWide) entry.namespace = ns;
          this.opaque.set(key, entry);
        }
        if (clusterWide) scope.all = true;
        else scope.namespaces.add(ns);
        return update;
      }
    }
  }

  private addPod(key: string, pod: PodInfo): void {
    let m = this.pods.get(pod.namespace);
    if (!m) this.pods.set(pod.namespace, (m = new Map()));
    m.set(key, pod);
    this.podList.delete(pod.namespace);
    if (pod.ipText) this.podsByIp.set(pod.ipText, pod);
  }

  private deletePod(ns: string, key: string): void {
    const old = this.pods.get(ns)?.get(key);
    if (!old) return;
    this.pods.get(ns)!.delete(key);
    this.podList.delete(ns);
    if (old.ipText && this.podsByIp.get(old.ipText) === old) this.podsByIp.delete(old.ipText);
  }

  /** Labels of a namespace, always including kubernetes.io/metadata.name (also for undeclared ones). */
  namespaceLabels(ns: string): Labels {
    let labels = this.nsLabelCache.get(ns);
    if (!labels) {
      labels = { ...(this.declaredNamespaces.get(ns) ?? {}), [NAMESPACE_NAME_LABEL]: ns };
      this.nsLabelCache.set(ns, labels);
    }
    return labels;
  }

  /** True when a Namespace object, or any namespaced object, names this namespace. */
  knowsNamespace(ns: string): boolean {
    return this.declaredNamespaces.has(ns) || this.pods.has(ns) || this.policies.has(ns) ||
      [...this.services.values()].some((s) => s.namespace === ns);
  }

  /** Pods (real and templates) of a namespace. */
  podsIn(ns: string): readonly PodInfo[] {
    let list = this.podList.get(ns);
    if (!list) {
      list = [...(this.pods.get(ns)?.values() ?? [])];
      this.podList.set(ns, list);
    }
    return list;
  }

  /** The pod whose status.podIP is `ip`. */
  podByIp(ip: string): PodInfo | undefined {
    return this.podsByIp.get(ip);
  }

  service(ns: string, name: string): ServiceInfo | undefined {
    return this.services.get(`${ns}/${name}`);
  }

  /** The Service whose clusterIP is `ip`. */
  serviceByClusterIp(ip: string): ServiceInfo | undefined {
    for (const s of this.services.values()) if (s.clusterIPs.includes(ip)) return s;
    return undefined;
  }

  /** EndpointSlices that belong to a Service. */
  endpointSlicesOf(ns: string, serviceName: string): EndpointSliceInfo[] {
    return [...this.slices.values()].filter((s) => s.namespace === ns && s.serviceName === serviceName);
  }

  /** NetworkPolicies of a namespace. */
  policiesIn(ns: string): readonly CompiledPolicy[] {
    let list = this.policyList.get(ns);
    if (!list) {
      list = [...(this.policies.get(ns)?.values() ?? [])];
      this.policyList.set(ns, list);
    }
    return list;
  }

  /** Unevaluated policies that could select pods in these namespaces (cluster-wide ones always). */
  opaqueAffecting(namespaces: Iterable<string>): OpaquePolicy[] {
    const set = new Set(namespaces);
    return [...this.opaque.values()].filter((o) => o.namespace === undefined || set.has(o.namespace));
  }

  /** Sizes, for logs and the benchmark. */
  counts(): { namespaces: number; pods: number; services: number; policies: number; opaque: number } {
    let pods = 0;
    for (const m of this.pods.values()) pods += m.size;
    let policies = 0;
    for (const m of this.policies.values()) policies += m.size;
    const ns = new Set([...this.declaredNamespaces.keys(), ...this.pods.keys(), ...this.policies.keys()]);
    return { namespaces: ns.size, pods, services: this.services.size, policies, opaque: this.opaque.size };
  }
}

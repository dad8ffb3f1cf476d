// The incremental explainer: holds a model and a catalog, caches one explanation per path, and
// on a changed object re-evaluates only the paths whose namespaces (or addresses) it touches.
import type { PathSpec } from '../catalog/types.js';
import { explainPath } from './explain.js';
import { ClusterModel, type ChangeScope, type ModelOptions } from './model.js';
import type { KubeObject } from './objects.js';
import type { ClusterDnsOptions, ResolveOptions } from './resolve.js';
import type { PathExplanation } from './types.js';

/** Options of the explainer. */
export interface ExplainerOptions extends ModelOptions {
  /** Cluster DNS domain; default `cluster.local`. */
  clusterDomain?: string;
  /** Where the cluster DNS pods run; default kube-system, `k8s-app: kube-dns`, port 53. */
  clusterDns?: Partial<ClusterDnsOptions>;
}

/** One changed object, as a watcher sees it. */
export interface ObjectChange {
  type: 'upsert' | 'delete';
  object: KubeObject;
}

interface Cached {
  explanation: PathExplanation;
  namespaces: Set<string>;
  dependsOnAddresses: boolean;
}

/**
 * Explains catalog paths against a cluster model and keeps the answers current. Evaluation is
 * namespace-local in NetworkPolicy v1 (egress by the source namespace's policies, ingress by the
 * destination's, peers by the labels of those two namespaces), so a path depends only on the
 * namespaces it resolved through; an object change re-evaluates only the paths indexed there.
 */
export class PolicyExplainer {
  readonly model: ClusterModel;
  private readonly resolveOptions: ResolveOptions;
  private paths: PathSpec[] = [];
  private readonly cache = new Map<string, Cached>();
  /** namespace → names of paths that read it. */
  private readonly byNamespace = new Map<string, Set<string>>();
  private readonly addressPaths = new Set<string>();

  constructor(options: ExplainerOptions = {}) {
    this.model = new ClusterModel(options);
    this.resolveOptions = {
      clusterDomain: options.clusterDomain ?? 'cluster.local',
      clusterDns: {
        namespace: options.clusterDns?.namespace ?? 'kube-system',
        labels: options.clusterDns?.labels ?? { 'k8s-app': 'kube-dns' },
        port: options.clusterDns?.port ?? 53,
      },
    };
  }

  /** Adds objects in bulk (no re-evaluation; call `explainAll` after). Returns problems per index. */
  load(objects: readonly KubeObject[]): { index: number; path: (string | number)[]; message: string }[] {
    const problems: { index: number; path: (string | number)[]; message: string }[] = [];
    objects.forEach((o, index) => {
      for (const p of this.model.upsert(o).problems) problems.push({ index, ...p });
    });
    this.cache.clear();
    this.byNamespace.clear();
    this.addressPaths.clear();
    return problems;
  }

  /** Replaces the catalog's paths; cached answers are dropped. */
  setPaths(paths: readonly PathSpec[]): void {
    this.paths = [...paths];
    this.cache.clear();
    this.byNamespace.clear();
    this.addressPaths.clear();
  }

  /** Explanations of every path in catalog order, evaluating the ones not cached. */
  explainAll(): PathExplanation[] {
    return this.paths.map((p) => this.cache.get(p.name)?.explanation ?? this.evaluate(p));
  }

  /** The explanation of one path by name. */
  explanation(name: string): PathExplanation | undefined {
    const path = this.paths.find((p) => p.name === name);
    if (!path) return undefined;
    return this.cache.get(name)?.explanation ?? this.evaluate(path);
  }

  /**
   * Applies one changed object and re-evaluates the affected paths at once. Returns those
   * explanations (catalog order) and the object's problems.
   */
  apply(change: ObjectChange): { reevaluated: PathExplanation[]; problems: { path: (string | number)[]; message: string }[] } {
    const update = change.type === 'delete' ? this.model.remove(change.object) : this.model.upsert(change.object);
    const affected = this.affectedBy(update.scope);
    const reevaluated: PathExplanation[] = [];
    for (const path of this.paths) if (affected.has(path.name)) reevaluated.push(this.evaluate(path));
    return { reevaluated, problems: update.problems };
  }

  /** Names of the cached paths a change scope touches. */
  affectedBy(scope: ChangeScope): Set<string> {
    if (scope.all) return new Set(this.paths.map((p) => p.name));
    const out = new Set<string>();
    for (const ns of scope.namespaces) for (const name of this.byNamespace.get(ns) ?? []) out.add(name);
    if (scope.addresses) for (const name of this.addressPaths) out.add(name);
    // Paths never evaluated yet are evaluated lazily by explainAll.
    return out;
  }

  private evaluate(path: PathSpec): PathExplanation {
    this.unindex(path.name);
    const { explanation, resolved } = explainPath(this.model, path, this.resolveOptions);
    const cached: Cached = { explanation, namespaces: resolved.namespaces, dependsOnAddresses: resolved.dependsOnAddresses };
    this.cache.set(path.name, cached);
    for (const ns of cached.namespaces) {
      let set = this.byNamespace.get(ns);
      if (!set) this.byNamespace.set(ns, (set = new Set()));
      set.add(path.name);
    }
    if (cached.dependsOnAddresses) this.addressPaths.add(path.name);
    return explanation;
  }

  private unindex(name: string): void {
    const old = this.cache.get(name);
    if (!old) return;
    for (const ns of old.namespaces) this.byNamespace.get(ns)?.delete(name);
    this.addressPaths.delete(name);
    this.cache.delete(name);
  }
}

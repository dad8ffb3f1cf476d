// The live explainer: feeds the informers' objects to the NetworkPolicy engine, builds the model
// on initial sync, re-evaluates only the paths a change affects, and publishes verdicts and ready
// endpoints. While the API server is unreachable nothing changes, so the last verdicts stay.
import type { Catalog, PathSpec } from '../catalog/types.js';
import type { ClusterInformers } from '../k8s/cluster-informers.js';
import type { ClusterEvent } from '../k8s/events.js';
import { countReadyEndpoints, targetService } from '../k8s/ready-endpoints.js';
import type { ExplainerMetrics } from '../metrics/explainer-metrics.js';

/** What the live explainer needs of an explanation (the engine's PathExplanation has more). */
export interface LiveExplanation {
  path: string;
  verdict: string;
  notes?: string[];
  from?: string;
  to?: string;
}

/** The engine's incremental surface (netpol's PolicyExplainer). */
export interface ExplainEngine<E extends LiveExplanation = LiveExplanation> {
  load(objects: readonly object[]): unknown;
  setPaths(paths: readonly PathSpec[]): void;
  explainAll(): E[];
  apply(change: { type: 'upsert' | 'delete'; object: object }): { reevaluated: E[] };
}

/** The few logger methods used (pino-compatible). */
export interface LiveLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Dependencies of the live explainer. */
export interface LiveExplainerDeps<E extends LiveExplanation> {
  informers: ClusterInformers;
  /** A fresh engine; called once per (re)build. */
  createEngine: () => ExplainEngine<E>;
  metrics: ExplainerMetrics;
  logger?: LiveLogger;
  now?: () => number;
}

/** Keeps verdicts of a catalog current against the informer caches. */
export class LiveExplainer<E extends LiveExplanation = LiveExplanation> {
  private engine?: ExplainEngine<E>;
  private catalog?: Catalog;
  private readonly explanations = new Map<string, E>();
  private unsubscribe?: () => void;
  private lastChangeAt: number | undefined;
  private readonly now: () => number;

  constructor(private readonly deps: LiveExplainerDeps<E>) {
    this.now = deps.now ?? Date.now;
  }

  /** Subscribes to the informers; builds the model once they are synced and a catalog is set. */
  start(): void {
    this.unsubscribe ??= this.deps.informers.on((event) => this.onEvent(event));
    void this.deps.informers.whenSynced().then(() => this.build());
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Sets (or replaces) the catalog: every path is evaluated again, vanished paths' series removed. */
  setCatalog(catalog: Catalog): void {
    const gone = (this.catalog?.paths ?? []).filter((old) => !catalog.paths.some((p) => p.name === old.name));
    this.catalog = catalog;
    for (const p of gone) {
      this.explanations.delete(p.name);
      this.deps.metrics.forget(p.name);
    }
    if (this.engine) {
      this.engine.setPaths(catalog.paths);
      this.publish(this.engine.explainAll());
      this.publishReadyEndpoints(catalog.paths);
    } else {
      this.build();
    }
  }

  /** True once the informers synced, a catalog is set and every path has a verdict. */
  ready(): boolean {
    return this.engine !== undefined;
  }

  /** The current explanations, in catalog order. */
  list(): E[] {
    return (this.catalog?.paths ?? []).flatMap((p) => this.explanations.get(p.name) ?? []);
  }

  get(path: string): E | undefined {
    return this.explanations.get(path);
  }

  /** The catalog's paths (empty before one is set). */
  paths(): PathSpec[] {
    return this.catalog?.paths ?? [];
  }

  /** Epoch ms of the last verdict change, if any. */
  lastVerdictChangeAt(): number | undefined {
    return this.lastChangeAt;
  }

  private build(): void {
    if (this.engine || !this.catalog || !this.deps.informers.synced()) return;
    const { informers } = this.deps;
    const engine = this.deps.createEngine();
    engine.load([
      ...informers.list('Namespace'), ...informers.list('Pod'), ...informers.list('Service'),
      ...informers.list('EndpointSlice'), ...informers.list('NetworkPolicy'),
    ]);
    engine.setPaths(this.catalog.paths);
    this.publish(engine.explainAll());
    this.publishReadyEndpoints(this.catalog.paths);
    this.engine = engine;
    this.deps.logger?.info({ paths: this.catalog.paths.length }, 'cluster synced; every path evaluated');
  }

  private onEvent(event: ClusterEvent): void {
    // Before the first build the caches are read whole; after it, changes are applied one by one.
    if (!this.engine || !this.catalog) return;
    const { reevaluated } = this.engine.apply({ type: event.type === 'delete' ? 'delete' : 'upsert', object: event.object });
    this.publish(reevaluated);
    if (event.kind === 'EndpointSlice' || event.kind === 'Service') {
      const ns = event.object.metadata?.namespace;
      this.publishReadyEndpoints(this.catalog.paths.filter((p) => targetService(p)?.namespace === ns));
    }
  }

  private publish(explanations: readonly E[]): void {
    for (const e of explanations) {
      const before = this.explanations.get(e.path);
      if (before && before.verdict !== e.verdict) {
        this.lastChangeAt = this.now();
        this.deps.logger?.info({ path: e.path, from: before.verdict, to: e.verdict }, 'policy verdict changed');
      }
      this.explanations.set(e.path, e);
      this.deps.metrics.setVerdict(e.path, e.verdict);
    }
  }

  private publishReadyEndpoints(paths: readonly PathSpec[]): void {
    const slices = this.deps.informers.list('EndpointSlice');
    for (const p of paths) {
      const svc = targetService(p);
      const count = svc
        ? countReadyEndpoints(this.deps.informers.get('Service', `${svc.namespace}/${svc.name}`), slices, p.port)
        : undefined;
      this.deps.metrics.setReadyEndpoints(p.name, count);
    }
  }
}

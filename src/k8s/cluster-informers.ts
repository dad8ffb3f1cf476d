// The five read-only informers the explainer runs (namespaces, pods, services, endpointslices,
// networkpolicies), their combined typed event stream, and "synced" once every initial LIST is in.
import type { ApiTransport } from './api-transport.js';
import type { BackoffOptions } from './backoff.js';
import type { ClusterEvent, ClusterEventListener } from './events.js';
import { WATCHED_KINDS, type KindObjects, type KindResource, type WatchedKind } from './kinds.js';
import { Reflector, type InformerLogger, type ReflectorStatus } from './reflector.js';

/** Settings of the informer set. */
export interface ClusterInformersOptions {
  transport: ApiTransport;
  logger?: InformerLogger;
  backoff?: BackoffOptions;
  /** Server-side watch timeout in seconds (default random 300–600 per watch). */
  watchTimeoutSeconds?: number;
  pageSize?: number;
}

/** Caches of every watched kind, kept current by list+watch; never writes to the API. */
export class ClusterInformers {
  private readonly reflectors = new Map<WatchedKind, Reflector>();
  private readonly listeners = new Set<ClusterEventListener>();
  private readonly syncWaiters = new Set<() => void>();
  private readonly logger?: InformerLogger;

  constructor(opts: ClusterInformersOptions) {
    this.logger = opts.logger;
    for (const resource of WATCHED_KINDS) {
      const reflector = new Reflector(resource as KindResource & { kind: WatchedKind }, opts,
        (event) => this.dispatch(event), () => this.checkSynced());
      this.reflectors.set(resource.kind, reflector);
    }
  }

  /** Starts every informer: initial LIST, then WATCH. */
  start(): void {
    for (const r of this.reflectors.values()) r.start();
  }

  /** Stops every informer; caches stay readable. */
  async stop(): Promise<void> {
    await Promise.all([...this.reflectors.values()].map((r) => r.stop()));
  }

  /** True once every informer finished its initial LIST (and stays true). */
  synced(): boolean {
    return [...this.reflectors.values()].every((r) => r.synced());
  }

  /** Resolves when synced() becomes true; rejects with the signal's reason if aborted first. */
  whenSynced(signal?: AbortSignal): Promise<void> {
    if (this.synced()) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    return new Promise((resolve, reject) => {
      // Whichever comes first removes the other: an aborted wait leaves no waiter behind.
      const onSynced = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.syncWaiters.delete(onSynced);
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.add(onSynced);
    });
  }

  /** Waits registered by whenSynced() and not yet settled. */
  get pendingSyncWaits(): number {
    return this.syncWaiters.size;
  }

  /** Subscribes to every add/update/delete, of every kind, as applied to the caches. Returns an unsubscribe. */
  on(listener: ClusterEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every cached object of a kind. */
  list<K extends WatchedKind>(kind: K): KindObjects[K][] {
    return (this.reflectors.get(kind) as Reflector<K> | undefined)?.list() ?? [];
  }

  /** A cached object by kind and `namespace/name` (or `name` for namespaces). */
  get<K extends WatchedKind>(kind: K, key: string): KindObjects[K] | undefined {
    return (this.reflectors.get(kind) as Reflector<K> | undefined)?.get(key);
  }

  /** The last resourceVersion each informer has seen. */
  resourceVersion(kind: WatchedKind): string {
    return this.reflectors.get(kind)?.resourceVersion() ?? '';
  }

  /** Per-kind state, for logs and the explain API. */
  status(): ReflectorStatus[] {
    return [...this.reflectors.values()].map((r) => r.status());
  }

  /** True while every informer has an open watch (false while the API server is unreachable). */
  connected(): boolean {
    return [...this.reflectors.values()].every((r) => r.status().watching);
  }

  private dispatch(event: ClusterEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        // A consumer's bug must not stop the informer that feeds everyone else.
        this.logger?.warn({ kind: event.kind, err: (err as Error).message }, 'cluster event listener failed');
      }
    }
  }

  private checkSynced(): void {
    if (!this.synced()) return;
    const waiters = [...this.syncWaiters];
    this.syncWaiters.clear();
    for (const waiter of waiters) waiter();
  }
}

// One kind's list+watch loop and object cache: LIST, then WATCH from the list's resourceVersion
// with bookmarks; resume from the last resourceVersion when a watch drops; relist and emit the
// difference on 410 Gone; back off with jitter while the API server is unreachable, keeping the
// cache served. Written over our own transport rather than client-node's ListWatch, which sends
// no allowWatchBookmarks, stops for good on any non-410 error and has no backoff.
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeApiError } from './api-errors.js';
import type { ApiTransport, RawWatchEvent } from './api-transport.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import type { ClusterEvent } from './events.js';
import { objectKey, type KindObjects, type KindResource, type KubeObject, type WatchedKind } from './kinds.js';

/** The few logger methods used (pino-compatible). */
export interface InformerLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Settings shared by every reflector. */
export interface ReflectorOptions {
  transport: ApiTransport;
  backoff?: BackoffOptions;
  /** Server-side watch timeout; default random in [300, 600) like client-go, so watches do not expire together. */
  watchTimeoutSeconds?: number;
  /** LIST page size. Default 500. */
  pageSize?: number;
  logger?: InformerLogger;
}

/** What a reflector reports about itself. */
export interface ReflectorStatus {
  kind: WatchedKind;
  synced: boolean;
  /** True while a watch stream is open. */
  watching: boolean;
  resourceVersion: string;
  objects: number;
  /** Full lists done (the initial one and every relist after 410). */
  lists: number;
  consecutiveErrors: number;
  lastError?: string;
}

/** A watch that ends quicker than this without any event counts as a failure (no tight reconnect loop). */
const MIN_HEALTHY_WATCH_MS = 1000;

const silent: InformerLogger = { debug() {}, info() {}, warn() {} };

/** List+watch of one kind; see the file header. */
export class Reflector<K extends WatchedKind = WatchedKind> {
  private store = new Map<string, KindObjects[K]>();
  private rv = '';
  private hasSynced = false;
  private watching = false;
  private lists = 0;
  private lastError: string | undefined;
  private readonly backoff: Backoff;
  private readonly logger: InformerLogger;
  private abort?: AbortController;
  private loop?: Promise<void>;

  constructor(
    readonly resource: KindResource & { kind: K },
    private readonly opts: ReflectorOptions,
    private readonly emit: (event: ClusterEvent) => void,
    private readonly onSynced: () => void,
  ) {
    this.backoff = new Backoff(opts.backoff);
    this.logger = opts.logger ?? silent;
  }

  /** Starts the loop (idempotent). */
  start(): void {
    if (this.loop) return;
    this.abort = new AbortController();
    this.loop = this.run(this.abort.signal);
  }

  /** Stops the loop and closes its watch; the cache stays readable. */
  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop;
    this.loop = undefined;
  }

  /** Every cached object. */
  list(): KindObjects[K][] {
    return [...this.store.values()];
  }

  /** A cached object by `namespace/name` (or `name`). */
  get(key: string): KindObjects[K] | undefined {
    return this.store.get(key);
  }

  synced(): boolean {
    return this.hasSynced;
  }

  resourceVersion(): string {
    return this.rv;
  }

  status(): ReflectorStatus {
    const s: ReflectorStatus = {
      kind: this.resource.kind, synced: this.hasSynced, watching: this.watching, resourceVersion: this.rv,
      objects: this.store.size, lists: this.lists, consecutiveErrors: this.backoff.failures,
    };
    if (this.lastError !== undefined) s.lastError = this.lastError;
    return s;
  }

  private async run(signal: AbortSignal): Promise<void> {
    let goneInARow = 0;
    while (!signal.aborted) {
      try {
        if (this.rv === '') await this.relist(signal);
        const healthy = await this.watchOnce(signal);
        goneInARow = 0;
        if (!healthy) throw new KubeApiError(`WATCH ${this.resource.path}: the server closed the stream at once`);
      } catch (err) {
        this.watching = false;
        if (signal.aborted) break;
        const error = err instanceof KubeApiError ? err : new KubeApiError(String(err), undefined, undefined, { cause: err });
        this.lastError = error.message;
        if (error.gone) {
          // The resourceVersion was compacted away: only a fresh LIST can say what changed.
          this.logger.info({ kind: this.resource.kind, resourceVersion: this.rv }, 'resourceVersion expired (410 Gone); relisting');
          this.rv = '';
          if (++goneInARow === 1) continue;
        }
        const delayMs = this.backoff.next();
        this.logger.warn(
          { kind: this.resource.kind, err: error.message, hint: error.hint, retryInMs: delayMs, consecutiveErrors: this.backoff.failures },
          'Kubernetes API error; serving cached objects and retrying',
        );
        await sleep(delayMs, undefined, { signal }).catch(() => undefined);
      }
    }
    this.watching = false;
  }

  /** LIST every page, replace the cache, and emit the difference against what was cached. */
  private async relist(signal: AbortSignal): Promise<void> {
    const fresh = new Map<string, KindObjects[K]>();
    let rv = '';
    let token: string | undefined;
    do {
      const query: Record<string, string> = { limit: String(this.opts.pageSize ?? 500) };
      if (token) query['continue'] = token;
      const page = await this.opts.transport.list(this.resource.path, query, signal);
      if (rv === '') rv = page.resourceVersion;
      for (const item of page.items) fresh.set(objectKey(item), this.typed(item));
      token = page.continue;
    } while (token);
    if (signal.aborted) return;

    const old = this.store;
    this.store = fresh;
    this.rv = rv;
    this.lists++;
    this.backoff.reset();
    this.lastError = undefined;
    for (const [key, previous] of old) {
      if (!fresh.has(key)) this.send('delete', previous, previous);
    }
    for (const [key, object] of fresh) {
      const previous = old.get(key);
      if (previous === undefined) this.send('add', object);
      else if (previous.metadata?.resourceVersion !== object.metadata?.resourceVersion) this.send('update', object, previous);
    }
    this.logger.debug({ kind: this.resource.kind, objects: fresh.size, resourceVersion: rv }, 'listed');
    if (!this.hasSynced) {
      this.hasSynced = true;
      this.onSynced();
    }
  }

  /** One WATCH from the current resourceVersion; true when it was healthy (lasted or carried events). */
  private async watchOnce(signal: AbortSignal): Promise<boolean> {
    const started = Date.now();
    let events = 0;
    const timeoutSeconds = this.opts.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300);
    const query = { resourceVersion: this.rv, allowWatchBookmarks: 'true', timeoutSeconds: String(timeoutSeconds) };
    const stream = await this.opts.transport.watch(this.resource.path, query, signal);
    this.watching = true;
    this.lastError = undefined;
    // Accepted is not yet healthy (a watch may end at once or with an ERROR event): the run of
    // failures ends with the first event applied, or once the watch has lasted.
    const lasted = setTimeout(() => this.backoff.reset(), MIN_HEALTHY_WATCH_MS);
    try {
      for await (const event of stream) {
        events++;
        this.apply(event);
        if (events === 1) this.backoff.reset();
      }
    } finally {
      clearTimeout(lasted);
    }
    this.watching = false;
    return events > 0 || Date.now() - started >= MIN_HEALTHY_WATCH_MS;
  }

  private apply(event: RawWatchEvent): void {
    if (event.type === 'ERROR') throw errorFromEvent(event, this.resource.path);
    const object = this.typed(event.object);
    const key = objectKey(object);
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED': {
        const previous = this.store.get(key);
        this.store.set(key, object);
        if (previous === undefined) this.send('add', object);
        else this.send('update', object, previous);
        break;
      }
      case 'DELETED': {
        const previous = this.store.get(key);
        if (previous !== undefined) {
          this.store.delete(key);
          this.send('delete', object, previous);
        }
        break;
      }
      case 'BOOKMARK':
        break; // only moves the resourceVersion on
      default:
        this.logger.debug({ kind: this.resource.kind, type: event.type }, 'ignored watch event of unknown type');
        return;
    }
    const rv = event.object.metadata?.resourceVersion;
    if (rv) this.rv = rv;
  }

  private send(type: ClusterEvent['type'], object: KindObjects[K], previous?: KindObjects[K]): void {
    const event = { kind: this.resource.kind, type, object, ...(previous ? { previous } : {}) } as ClusterEvent;
    this.emit(event);
  }

  /** Lists carry items without kind/apiVersion; fill them so consumers see whole objects. */
  private typed(obj: KubeObject): KindObjects[K] {
    if (obj.kind === undefined) obj.kind = this.resource.kind;
    if (obj.apiVersion === undefined) obj.apiVersion = this.resource.apiVersion;
    return obj as KindObjects[K];
  }
}

function errorFromEvent(event: RawWatchEvent, path: string): KubeApiError {
  const status = event.object;
  const code = typeof status.code === 'number' ? status.code : undefined;
  return new KubeApiError(
    `WATCH ${path}: ERROR event ${code ?? ''} ${status.reason ?? ''}${status.message ? `: ${status.message}` : ''}`.replace(/\s+/g, ' '),
    code, status.reason,
  );
}

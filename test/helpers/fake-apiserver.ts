// A stand-in Kubernetes API server for tests: a real HTTP server on 127.0.0.1 (port 0) speaking the
// real wire format for list and watch of namespaces, pods, services, endpointslices and
// networkpolicies — `<Kind>List` bodies, chunked newline-delimited watch events, bookmarks,
// `410 Gone` (as an HTTP Status or an ERROR event) — that tests mutate, break and restart.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/** A resource collection the fake serves (cluster-wide paths, as the real API server spells them). */
export interface FakeResource {
  kind: string;
  apiVersion: string;
  path: string;
}

/** The collections served; written out here, not imported, so the fake does not echo the code under test. */
export const FAKE_RESOURCES: readonly FakeResource[] = [
  { kind: 'Namespace', apiVersion: 'v1', path: '/api/v1/namespaces' },
  { kind: 'Pod', apiVersion: 'v1', path: '/api/v1/pods' },
  { kind: 'Service', apiVersion: 'v1', path: '/api/v1/services' },
  { kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', path: '/apis/discovery.k8s.io/v1/endpointslices' },
  { kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', path: '/apis/networking.k8s.io/v1/networkpolicies' },
];

/** Any Kubernetes object. */
export interface FakeObject {
  apiVersion?: string;
  kind: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** One request the fake received. */
export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  watch: boolean;
  authorization?: string;
}

interface HistoryEntry {
  rv: number;
  kind: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: FakeObject;
}

interface OpenWatch {
  kind: string;
  bookmarks: boolean;
  res: ServerResponse;
}

/** How a watch from a compacted resourceVersion is refused. */
export type GoneMode = 'event' | 'http';

/** The stand-in API server; see the file header. */
export class FakeApiServer {
  /** Every request, oldest first. */
  readonly requests: SeenRequest[] = [];
  /** `event`: 200 then an ERROR event with a 410 Status (what current API servers do); `http`: HTTP 410. */
  goneMode: GoneMode = 'event';
  /** When set and it returns a status for a request, that request is answered with it (a Status body). */
  fail: ((req: SeenRequest) => number | undefined) | undefined;
  /** When set and it returns text for a watch, that watch is answered 200 with the text, then ended (an ERROR event, garbage). */
  watchReply: ((req: SeenRequest) => string | undefined) | undefined;
  private rv = 100;
  private compactedRv = 0;
  private readonly objects = new Map<string, Map<string, FakeObject>>();
  private readonly history: HistoryEntry[] = [];
  private readonly watches = new Set<OpenWatch>();
  private readonly sockets = new Set<Socket>();
  private server: Server;
  private listening = false;
  private uidSeq = 0;

  private constructor(readonly port: number, server: Server, private readonly token?: string) {
    this.server = server;
    for (const r of FAKE_RESOURCES) this.objects.set(r.kind, new Map());
  }

  /** Starts on 127.0.0.1 with an ephemeral port; with `token`, requests must carry `Bearer <token>`. */
  static async start(opts: { token?: string } = {}): Promise<FakeApiServer> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    const fake = new FakeApiServer(port, probe, opts.token);
    fake.attach(probe);
    fake.listening = true;
    return fake;
  }

  /** http://127.0.0.1:PORT */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The current (global) resourceVersion. */
  get resourceVersion(): number {
    return this.rv;
  }

  /**
   * A KubeConfig whose current context points here (token user when the fake wants one). Plain
   * http: client-node accepts it only with insecure-skip-tls-verify set.
   */
  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromString(this.kubeConfigYaml());
    return kc;
  }

  /** The same as a kubeconfig file's text. */
  kubeConfigYaml(): string {
    return [
      'apiVersion: v1', 'kind: Config', 'current-context: fake',
      'clusters:', `- name: fake`, `  cluster: {server: "${this.url}", insecure-skip-tls-verify: true}`,
      'users:', `- name: tester`, `  user: {token: "${this.token ?? 'none'}"}`,
      'contexts:', `- name: fake`, `  context: {cluster: fake, user: tester}`, '',
    ].join('\n');
  }

  /** Creates (or replaces) an object: bumps the resourceVersion and streams ADDED (MODIFIED if it existed). */
  apply(input: FakeObject): FakeObject {
    const store = this.store(input.kind);
    const key = keyOf(input);
    const existed = store.get(key);
    const object = structuredClone(input);
    object.apiVersion ??= this.resource(input.kind).apiVersion;
    object.metadata.uid = existed?.metadata.uid ?? `uid-${++this.uidSeq}`;
    object.metadata.resourceVersion = String(++this.rv);
    store.set(key, object);
    this.record(existed ? 'MODIFIED' : 'ADDED', object);
    return object;
  }

  /** Deletes an object if present: bumps the resourceVersion and streams DELETED (with the final state). */
  delete(kind: string, name: string, namespace?: string): boolean {
    const store = this.store(kind);
    const key = namespace ? `${namespace}/${name}` : name;
    const existing = store.get(key);
    if (!existing) return false;
    store.delete(key);
    const object = structuredClone(existing);
    object.metadata.resourceVersion = String(++this.rv);
    this.record('DELETED', object);
    return true;
  }

  /** Sends a BOOKMARK at the current resourceVersion on every open watch that allowed bookmarks. */
  bookmark(): number {
    let sent = 0;
    for (const w of this.watches) {
      if (!w.bookmarks) continue;
      const r = this.resource(w.kind);
      w.res.write(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: r.kind, apiVersion: r.apiVersion, metadata: { resourceVersion: String(this.rv) } } })}\n`);
      sent++;
    }
    return sent;
  }

  /** Forgets the event history up to now: a watch from any older resourceVersion gets 410 Gone. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history.length = 0;
  }

  /** Open watch streams (of one kind, or all). */
  openWatches(kind?: string): number {
    return [...this.watches].filter((w) => kind === undefined || w.kind === kind).length;
  }

  /** Cuts every open watch connection abruptly (the client sees a broken stream). */
  dropWatches(): void {
    for (const w of this.watches) w.res.socket?.destroy();
    this.watches.clear();
  }

  /** Stops listening and cuts every connection: clients get ECONNREFUSED until up(). */
  async down(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    this.watches.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  /** Listens again on the same port, with the same objects and history. */
  async up(): Promise<void> {
    if (this.listening) return;
    const server = createServer();
    this.attach(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.listening = true;
  }

  /** Waits (bounded) until a request matching `pred` arrives; returns it. */
  async waitForRequest(pred: (r: SeenRequest) => boolean, timeoutMs = 5000, from = 0): Promise<SeenRequest> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.requests.slice(from).find(pred);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching request to the fake API server within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Waits (bounded) until `n` watches are open. */
  async waitForWatches(n: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.openWatches() < n) {
      if (Date.now() > deadline) throw new Error(`only ${this.openWatches()} of ${n} watches open after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    await this.down();
  }

  private attach(server: Server): void {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req, res) => this.handle(req, res));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams);
    const watch = query['watch'] === 'true' || query['watch'] === '1';
    const seen: SeenRequest = { method: req.method ?? '', path: url.pathname, query, watch };
    if (req.headers.authorization) seen.authorization = req.headers.authorization;
    this.requests.push(seen);

    const injected = this.fail?.(seen);
    if (injected !== undefined) return sendStatus(res, injected, 'InternalError', 'injected failure');
    if (this.token !== undefined && req.headers.authorization !== `Bearer ${this.token}`) {
      return sendStatus(res, 401, 'Unauthorized', 'Unauthorized');
    }
    const resource = FAKE_RESOURCES.find((r) => r.path === url.pathname);
    if (!resource) return sendStatus(res, 404, 'NotFound', `the server could not find the requested resource`);
    if (req.method !== 'GET') return sendStatus(res, 405, 'MethodNotAllowed', `${req.method} is not supported`);
    const reply = watch ? this.watchReply?.(seen) : undefined;
    if (reply !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(reply);
      return;
    }
    if (watch) this.serveWatch(resource, query, res);
    else this.serveList(resource, query, res);
  }

  private serveList(resource: FakeResource, query: Record<string, string>, res: ServerResponse): void {
    const all = [...this.store(resource.kind).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    let listRv = this.rv;
    let start = 0;
    if (query['continue']) {
      // Pages come from the live objects after the token's key (a real server reads a snapshot).
      const token = JSON.parse(Buffer.from(query['continue'], 'base64').toString('utf8')) as { rv: number; after: string };
      if (token.rv < this.compactedRv) return sendStatus(res, 410, 'Expired', 'The provided continue parameter is too old');
      listRv = token.rv;
      start = all.findIndex(([key]) => key > token.after);
      if (start < 0) start = all.length;
    }
    const limit = Number(query['limit'] ?? 0);
    const page = limit > 0 ? all.slice(start, start + limit) : all.slice(start);
    const metadata: Record<string, string> = { resourceVersion: String(listRv) };
    const last = page.at(-1);
    if (limit > 0 && start + page.length < all.length && last) {
      metadata['continue'] = Buffer.from(JSON.stringify({ rv: listRv, after: last[0] })).toString('base64');
    }
    // Items of a list carry no kind/apiVersion, as on the real API server.
    const items = page.map(([, o]) => {
      const { kind: _k, apiVersion: _a, ...rest } = o;
      return rest;
    });
    sendJson(res, 200, { kind: `${resource.kind}List`, apiVersion: resource.apiVersion, metadata, items });
  }

  private serveWatch(resource: FakeResource, query: Record<string, string>, res: ServerResponse): void {
    const from = query['resourceVersion'];
    const fromRv = from === undefined || from === '' || from === '0' ? undefined : Number(from);
    if (fromRv !== undefined && fromRv < this.compactedRv) {
      const message = `too old resource version: ${fromRv} (${this.compactedRv})`;
      if (this.goneMode === 'http') return sendStatus(res, 410, 'Gone', message);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', message) })}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    const w: OpenWatch = { kind: resource.kind, bookmarks: query['allowWatchBookmarks'] === 'true', res };
    this.watches.add(w);
    const timeout = query['timeoutSeconds'] ? setTimeout(() => res.end(), Number(query['timeoutSeconds']) * 1000) : undefined;
    res.on('close', () => {
      clearTimeout(timeout);
      this.watches.delete(w);
    });
    if (fromRv === undefined) {
      for (const o of this.store(resource.kind).values()) res.write(`${JSON.stringify({ type: 'ADDED', object: o })}\n`);
    } else {
      for (const e of this.history) {
        if (e.kind === resource.kind && e.rv > fromRv) res.write(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
      }
    }
  }

  private record(type: HistoryEntry['type'], object: FakeObject): void {
    this.history.push({ rv: this.rv, kind: object.kind, type, object });
    for (const w of this.watches) {
      if (w.kind === object.kind) w.res.write(`${JSON.stringify({ type, object })}\n`);
    }
  }

  private store(kind: string): Map<string, FakeObject> {
    const store = this.objects.get(kind);
    if (!store) throw new Error(`the fake API server does not serve kind ${kind}`);
    return store;
  }

  private resource(kind: string): FakeResource {
    const r = FAKE_RESOURCES.find((x) => x.kind === kind);
    if (!r) throw new Error(`the fake API server does not serve kind ${kind}`);
    return r;
  }
}

function keyOf(o: FakeObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}

function status(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function sendStatus(res: ServerResponse, code: number, reason: string, message: string): void {
  sendJson(res, code, status(code, reason, message));
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

// GET-only HTTP access to the Kubernetes API server for list and watch, over undici with the
// credentials and TLS settings of a KubeConfig. There is deliberately no method that writes.
import { createHash } from 'node:crypto';
import { Agent, request, type Dispatcher } from 'undici';
import type { KubeConfig } from '@kubernetes/client-node';
import { PathprobeError } from '../errors.js';
import { readBoundedBody } from '../probe/http-body.js';
import { errorFromStatus, KubeApiError, type KubeStatus } from './api-errors.js';
import type { KubeObject } from './kinds.js';

/** One page of a LIST. */
export interface ListPage {
  resourceVersion: string;
  items: KubeObject[];
  /** Continue token when the server paged the list. */
  continue?: string;
}

/** One line of a watch stream, as sent. */
export interface RawWatchEvent {
  type: string;
  object: KubeObject & KubeStatus;
}

/** What the informer needs from the API server. */
export interface ApiTransport {
  /** GET a collection. Throws KubeApiError (with statusCode when the server answered). */
  list(path: string, query: Record<string, string>, signal: AbortSignal): Promise<ListPage>;
  /**
   * GET `?watch=true`. Resolves once the server answered 200, to the events until it ends the
   * stream; rejects with KubeApiError when it answered otherwise or not at all.
   */
  watch(path: string, query: Record<string, string>, signal: AbortSignal): Promise<AsyncIterable<RawWatchEvent>>;
}

/** Longest a watch line may be before the stream is treated as broken (a Pod is a few KiB). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** Largest LIST page read (pages hold at most `limit` objects, 500 by default: a few MiB). */
export const MAX_LIST_BYTES = 128 * 1024 * 1024;
/** Largest error answer (a Status object) read. */
export const MAX_ERROR_BYTES = 64 * 1024;

interface TlsSettings {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized?: boolean;
  servername?: string;
}

/** An ApiTransport over a KubeConfig's current context (server, token or client cert, CA). */
export class KubeConfigTransport implements ApiTransport {
  private readonly server: string;
  private agent?: { fingerprint: string; dispatcher: Agent };

  constructor(
    private readonly kc: KubeConfig,
    private readonly userAgent = 'pathprobe-explainer',
  ) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) {
      throw new PathprobeError('PP_K8S_CONFIG', 'the kubeconfig has no current cluster', 'set a current-context or pass --kubeconfig');
    }
    this.server = cluster.server.replace(/\/+$/, '');
  }

  async list(path: string, query: Record<string, string>, signal: AbortSignal): Promise<ListPage> {
    const res = await this.get(path, query, signal, 60_000);
    if (res.statusCode !== 200) {
      throw errorFromStatus(parseStatus(await errorText(res)), res.statusCode, `LIST ${path}`);
    }
    // One byte past the bound tells a LIST at the bound from one beyond it.
    const body = await readBoundedBody(res.body, MAX_LIST_BYTES + 1);
    if (body.truncated) throw new KubeApiError(`LIST ${path}: the answer exceeds ${MAX_LIST_BYTES} bytes`);
    const text = body.bytes.toString('utf8');
    let parsed: { metadata?: { resourceVersion?: string; continue?: string }; items?: KubeObject[] };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch (err) {
      throw new KubeApiError(`LIST ${path}: the answer is not JSON`, undefined, undefined, { cause: err });
    }
    const page: ListPage = { resourceVersion: parsed.metadata?.resourceVersion ?? '', items: parsed.items ?? [] };
    if (parsed.metadata?.continue) page.continue = parsed.metadata.continue;
    return page;
  }

  async watch(path: string, query: Record<string, string>, signal: AbortSignal): Promise<AsyncIterable<RawWatchEvent>> {
    // Idle limit a little past the server-side timeoutSeconds: a half-open connection ends too.
    const idleMs = (Number(query['timeoutSeconds'] ?? 300) + 30) * 1000;
    const res = await this.get(path, { ...query, watch: 'true' }, signal, idleMs);
    if (res.statusCode !== 200) {
      throw errorFromStatus(parseStatus(await errorText(res)), res.statusCode, `WATCH ${path}`);
    }
    return readEvents(res, path, signal);
  }

  /** Closes pooled connections. */
  async close(): Promise<void> {
    await this.agent?.dispatcher.close();
    this.agent = undefined;
  }

  private async get(
    path: string, query: Record<string, string>, signal: AbortSignal, bodyTimeoutMs: number,
  ): Promise<Dispatcher.ResponseData> {
    const opts: { headers?: Record<string, string | string[] | number>; auth?: string } & TlsSettings = { headers: {} };
    // Per request, so a rotated projected service-account token is picked up.
    try {
      await this.kc.applyToHTTPSOptions(opts);
    } catch (err) {
      throw new KubeApiError(`cannot apply the kubeconfig's credentials: ${(err as Error).message}`, undefined, undefined, { cause: err });
    }
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.userAgent };
    for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    if (opts.auth) headers['authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    try {
      return await request(url, {
        method: 'GET', headers, signal, dispatcher: this.dispatcherFor(opts),
        headersTimeout: 30_000, bodyTimeout: bodyTimeoutMs,
      });
    } catch (err) {
      if (signal.aborted) throw err;
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).name;
      throw new KubeApiError(`GET ${path}: cannot reach the API server (${code})`, undefined, undefined, { cause: err });
    }
  }

  private dispatcherFor(tls: TlsSettings): Agent {
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([tls.ca?.toString('base64'), tls.cert?.toString('base64'), tls.key?.toString('base64'),
        tls.rejectUnauthorized, tls.servername]))
      .digest('hex');
    if (this.agent?.fingerprint !== fingerprint) {
      void this.agent?.dispatcher.close();
      const connect: Record<string, unknown> = {};
      if (tls.ca) connect['ca'] = tls.ca;
      if (tls.cert) connect['cert'] = tls.cert;
      if (tls.key) connect['key'] = tls.key;
      if (tls.rejectUnauthorized !== undefined) connect['rejectUnauthorized'] = tls.rejectUnauthorized;
      if (tls.servername) connect['servername'] = tls.servername;
      this.agent = { fingerprint, dispatcher: new Agent({ connect, connections: 16 }) };
    }
    return this.agent.dispatcher;
  }
}

/** An error answer's text, cut at MAX_ERROR_BYTES (cut, it parses as no Status; the code stays). */
async function errorText(res: Dispatcher.ResponseData): Promise<string> {
  return (await readBoundedBody(res.body, MAX_ERROR_BYTES)).bytes.toString('utf8');
}

function parseStatus(text: string): KubeStatus | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as KubeStatus) : undefined;
  } catch {
    return undefined;
  }
}

function parseEvent(line: string, path: string): RawWatchEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw new KubeApiError(`WATCH ${path}: an event is not JSON`, undefined, undefined, { cause: err });
  }
  const event = parsed as Partial<RawWatchEvent>;
  if (typeof event.type !== 'string' || typeof event.object !== 'object' || event.object === null) {
    throw new KubeApiError(`WATCH ${path}: an event lacks type or object`);
  }
  return event as RawWatchEvent;
}

/** Splits a watch body into events; the response is always released. */
async function* readEvents(res: Dispatcher.ResponseData, path: string, signal: AbortSignal): AsyncGenerator<RawWatchEvent> {
  // A multi-byte character may straddle two chunks: decode as a stream.
  const decoder = new TextDecoder();
  // The unfinished line, in pieces: appending to one string and searching it per chunk would
  // flatten it every time, quadratic in the line's length.
  let parts: string[] = [];
  let partsLength = 0;
  try {
    for await (const chunk of res.body) {
      let text = decoder.decode(chunk as Buffer, { stream: true });
      let nl: number;
      while ((nl = text.indexOf('\n')) >= 0) {
        const line = (parts.join('') + text.slice(0, nl)).trim();
        parts = [];
        partsLength = 0;
        text = text.slice(nl + 1);
        if (line !== '') yield parseEvent(line, path);
      }
      if (text !== '') {
        parts.push(text);
        partsLength += text.length;
      }
      if (partsLength > MAX_LINE_BYTES) throw new KubeApiError(`WATCH ${path}: an event line exceeds ${MAX_LINE_BYTES} bytes`);
    }
  } catch (err) {
    if (err instanceof KubeApiError || signal.aborted) throw err;
    throw new KubeApiError(`WATCH ${path}: the stream broke (${(err as Error).message})`, undefined, undefined, { cause: err });
  } finally {
    res.body.destroy();
  }
  const rest = parts.join('').trim();
  if (rest !== '') yield parseEvent(rest, path);
}

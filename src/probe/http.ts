// The http check: undici Client + request() (not fetch, which hides the OS error) with our own
// connect function, so the prober dials the resolved address itself, times connect and TLS, and
// knows which stage a failure or the deadline hit. Host header and SNI carry the URL's host.
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { Client, errors as undiciErrors, type buildConnector } from 'undici';
import type { HttpOptions, PathSpec } from '../catalog/types.js';
import { classifyFailure, type ProbeStage } from '../classify/classify.js';
import type { ResultClass } from '../classify/result-class.js';
import { VERSION } from '../version.js';
import { openTcp, upgradeTls } from './connect.js';
import { startDeadline, type Deadline } from './deadline.js';
import { readBoundedBody, type BoundedBody } from './http-body.js';
import { compileBodyMatch } from './body-match.js';
import { decideRedirect, REDIRECT_STATUSES } from './http-redirect.js';
import { PhaseClock } from './phase-clock.js';
import { resolveHost } from './resolve.js';
import type { ProbeContext, ProbeOutcome } from './types.js';

/** Used when a path carries no http options (the loader normally fills them). Empty expectStatus = any 2xx. */
export const HTTP_DEFAULTS: HttpOptions = {
  method: 'GET', expectStatus: [], maxBodyBytes: 64 * 1024, followRedirects: 0, headers: {},
  tls: { insecureSkipVerify: false },
};
/** Largest response head accepted (undici maxHeaderSize); larger is an `error`. */
export const MAX_RESPONSE_HEADER_BYTES = 16 * 1024;
/**
 * Passed to every per-probe Client's destroy(): without an argument undici builds a fresh
 * ClientDestroyedError, stack trace included, on every probe (~10 % of the http prober's JS time in
 * the CPU profile). Same class and code as undici's own, so its handling is unchanged; nothing
 * mutates it, and by then no request of ours is pending.
 */
const CLIENT_DONE = new undiciErrors.ClientDestroyedError();

interface Prepared {
  url: URL;
  http: HttpOptions;
  ca?: Buffer;
  bodyMatch?: RegExp;
}

type HopResult =
  | { ok: true; status: number; location?: string; body?: BoundedBody }
  | { ok: false; result: ResultClass; detail: string; outOfDescriptors?: boolean };

/** Probes an http path. See docs/probers.md for the stages, timeouts and redirect policy. */
export async function probeHttp(path: PathSpec, ctx: ProbeContext): Promise<ProbeOutcome> {
  const clock = new PhaseClock();
  const deadline = startDeadline(ctx.signal, path.timeoutMs, ctx.deadlineAt);
  try {
    const prepared = await prepare(path);
    if (typeof prepared === 'string') return clock.finish('error', prepared);
    const { http } = prepared;
    let url = prepared.url;
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    clock.enter('resolve');
    const resolved = await resolveHost(hostname, ctx, deadline);
    clock.stop();
    if (!resolved.ok) return clock.finish(resolved.result, resolved.detail);
    // Redirects stay on this host (see http-redirect.ts), so one resolution serves every hop.
    const address = resolved.addresses[0] as string;
    const addresses = [address];
    const hops: string[] = [];
    for (let hop = 0; ; hop++) {
      const follow = (status: number, location?: string): URL | undefined => {
        if (hop >= http.followRedirects || !REDIRECT_STATUSES.has(status)) return undefined;
        const decision = decideRedirect(url, status, location);
        return 'follow' in decision ? decision.follow : undefined;
      };
      const r = await requestOnce(url, address, prepared, clock, deadline, follow);
      const via = hops.length > 0 ? ` after ${hops.join(', ')}` : '';
      if (!r.ok) return clock.finish(r.result, `${url.href} via ${address}: ${r.detail}${via}`, { addresses, outOfDescriptors: r.outOfDescriptors });
      const next = follow(r.status, r.location);
      if (next) {
        hops.push(`${r.status} → ${next.href}`);
        url = next;
        continue;
      }
      const verdict = judge(r, http, prepared.bodyMatch, url);
      return clock.finish(verdict.result, `${verdict.detail}${via}`, { addresses, status: r.status });
    }
  } finally {
    deadline.dispose();
  }
}

/**
 * prepare()'s answer per path spec, when it reads no caFile (that is read on every probe, so a
 * rotated CA is seen at once): the URL parse and the bodyMatch compile were per probe. Specs are
 * not changed once loaded (a reload makes new ones), and nothing here is mutated by a probe.
 */
const preparedBySpec = new WeakMap<PathSpec, Prepared | string>();

/** Checks the path's http settings before any traffic; a problem here is `error` (configuration). */
async function prepare(path: PathSpec): Promise<Prepared | string> {
  const cached = preparedBySpec.get(path);
  if (cached !== undefined) return cached;
  const prepared = await prepareUncached(path);
  if (!(path.http ?? HTTP_DEFAULTS).tls.caFile) preparedBySpec.set(path, prepared);
  return prepared;
}

async function prepareUncached(path: PathSpec): Promise<Prepared | string> {
  const http = path.http ?? HTTP_DEFAULTS;
  let url: URL;
  try {
    url = new URL(path.url ?? `http://${path.host.includes(':') ? `[${path.host}]` : path.host}:${path.port}/`);
  } catch {
    return `invalid URL ${path.url ?? path.target}`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `unsupported URL scheme ${url.protocol}`;
  const prepared: Prepared = { url, http };
  if (http.tls.caFile) {
    try {
      prepared.ca = await readFile(http.tls.caFile);
    } catch (e) {
      return `cannot read tls.caFile ${http.tls.caFile}: ${(e as Error).message}`;
    }
  }
  if (http.bodyMatch !== undefined) {
    try {
      prepared.bodyMatch = compileBodyMatch(http.bodyMatch);
    } catch {
      return `invalid bodyMatch ${http.bodyMatch}`;
    }
  }
  return prepared;
}

/** One request on a fresh connection to `address`; `follow` says whether the body is skipped for a redirect. */
async function requestOnce(
  url: URL, address: string, prepared: Prepared, clock: PhaseClock, deadline: Deadline,
  follow: (status: number, location?: string) => URL | undefined,
): Promise<HopResult> {
  const { http } = prepared;
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  let stage: ProbeStage = 'connect';
  const connect: buildConnector.connector = (_opts, callback) => {
    clock.enter('connect');
    stage = 'connect';
    openTcp(address, port, deadline.signal)
      .then(async (socket) => {
        if (url.protocol !== 'https:') return socket;
        clock.enter('tls');
        stage = 'tls';
        const servername = http.tls.serverName ?? (isIP(hostname) ? undefined : hostname);
        return upgradeTls(socket, {
          host: isIP(hostname) ? hostname : address,
          ...(servername ? { servername } : {}),
          ...(prepared.ca ? { ca: prepared.ca } : {}),
          rejectUnauthorized: !http.tls.insecureSkipVerify,
        }, deadline.signal);
      })
      .then((socket) => {
        clock.enter('processing');
        stage = 'response';
        // Processing ends at the response's first bytes (blackbox_exporter's "processing" too),
        // not when undici has parsed the head and our await resumed: under load that hand-off
        // waited behind other probes' callbacks and added milliseconds to the server's time.
        // No byte arrives before the request is sent; a redirect hop starts a new connection.
        socket.once('readable', () => {
          if (clock.running === 'processing') clock.enter('transfer');
        });
        callback(null, socket);
      }, (error: Error) => callback(error, null));
  };
  const client = new Client(url.origin, {
    connect,
    maxHeaderSize: MAX_RESPONSE_HEADER_BYTES,
    // No undici timers: the deadline's signal aborts the connect, the request and the body read,
    // and runProbe's guard bounds the probe if anything ignored it. As a backstop (the deadline
    // plus 1 s) they were two more timers per probe, undici "fast timers" that hold the HTTP parser
    // (and through it the socket and Client) by a WeakRef in a list swept twice a second.
    headersTimeout: 0,
    bodyTimeout: 0,
    pipelining: 1,
    // The connection is never reused, so how long it may idle does not matter. With undici's default
    // (2 s) a server announcing `Keep-Alive: timeout=1` made undici close the socket itself with a
    // new InformationalError, stack trace included, on every probe (~8 % of an http probe's CPU).
    // The socket is destroyed with the Client right after the exchange either way.
    keepAliveTimeoutThreshold: 0,
  });
  try {
    const response = await client.request({
      path: `${url.pathname}${url.search}`,
      method: http.method,
      // No Accept-Encoding: the body is never decompressed, so it stays bounded.
      headers: { 'user-agent': `pathprobe/${VERSION}`, ...http.headers },
      signal: deadline.signal,
    });
    if (clock.running !== 'transfer') clock.enter('transfer');
    stage = 'body';
    const location = headerValue(response.headers.location);
    let body: BoundedBody | undefined;
    if (follow(response.statusCode, location)) response.body.on('error', () => {}).destroy();
    else body = await readBoundedBody(response.body, http.maxBodyBytes);
    clock.stop();
    return { ok: true, status: response.statusCode, ...(location ? { location } : {}), ...(body ? { body } : {}) };
  } catch (error) {
    const c = classifyFailure({ error, phase: stage, timedOut: deadline.expired() });
    return { ok: false, result: c.result, detail: c.detail, outOfDescriptors: c.outOfDescriptors };
  } finally {
    await client.destroy(CLIENT_DONE).catch(() => {});
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Final verdict on a response: expected status, then the body expression. */
function judge(
  r: { status: number; body?: BoundedBody }, http: HttpOptions, bodyMatch: RegExp | undefined, url: URL,
): { result: ResultClass; detail: string } {
  const expected = http.expectStatus.length > 0 ? http.expectStatus : undefined;
  const size = r.body ? `${r.body.bytes.length} body bytes${r.body.truncated ? ', stopped at maxBodyBytes' : ''}` : 'no body';
  if (expected ? !expected.includes(r.status) : r.status < 200 || r.status > 299) {
    return { result: 'http_status', detail: `${url.href}: status ${r.status}, expected ${expected?.join('|') ?? '2xx'}` };
  }
  if (bodyMatch && !bodyMatch.test((r.body?.bytes ?? Buffer.alloc(0)).toString('utf8'))) {
    return { result: 'http_status', detail: `${url.href}: status ${r.status} but body (${size}) does not match /${bodyMatch.source}/` };
  }
  return { result: 'ok', detail: `${url.href}: status ${r.status} (${size})` };
}

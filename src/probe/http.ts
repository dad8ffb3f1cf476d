// The http check: node:http's request over a connection the prober dials itself (createConnection),
// so it connects to the resolved address, times connect and TLS, and knows which stage a failure
// or the deadline hit. Host header and SNI carry the URL's host.
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import nodeHttp, { type ClientRequest, type ClientRequestArgs, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
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
import { shedOnClose } from './shed.js';
import type { ProbeContext, ProbeOutcome } from './types.js';

/** Used when a path carries no http options (the loader normally fills them). Empty expectStatus = any 2xx. */
export const HTTP_DEFAULTS: HttpOptions = {
  method: 'GET', expectStatus: [], maxBodyBytes: 64 * 1024, followRedirects: 0, headers: {},
  tls: { insecureSkipVerify: false },
};
/** Largest response head accepted (node:http maxHeaderSize); larger is an `error`. */
export const MAX_RESPONSE_HEADER_BYTES = 16 * 1024;
/** Sent on every request (built once, not per probe). */
const USER_AGENT = `pathprobe/${VERSION}`;

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
    } catch (e) {
      return `invalid bodyMatch ${http.bodyMatch}: ${(e as Error).message}`;
    }
  }
  return prepared;
}

/**
 * One request on a fresh connection to `address`, with node:http over a socket this prober dialled
 * (`createConnection`, no Agent: never pooled, `Connection: close`); `follow` says whether the body
 * is skipped for a redirect.
 *
 * node:http, not undici, for the exchange: with a Client per probe (the connection must never be
 * reused, see docs/probers.md) every http probe's socket, parser and Client outlived the young
 * generation's collections and were promoted to the old one, ~7.7 KB a probe (6 MB/s at 1,000
 * probes a second, scavenges of 5 ms; `--trace-gc-nvp` on a loop of bare undici requests, with
 * or without destroy(), request() or dispatch()); node:http's request on the same loop promoted
 * nothing then. A later loop of fresh connections at 1,000 a second promoted ~0.85 MB per
 * scavenge with node:http too, still less than undici's (docs/performance.md, fifth session):
 * Node keeps every closed socket through young collections, so what its listeners hold is
 * promoted with it unless they are dropped (shed.ts, sixth session).
 */
function requestOnce(
  url: URL, address: string, prepared: Prepared, clock: PhaseClock, deadline: Deadline,
  follow: (status: number, location?: string) => URL | undefined,
): Promise<HopResult> {
  const { http } = prepared;
  // An explicit port is used as given, 0 too (a redirect may carry it; the connect then fails):
  // only an absent one means the scheme's default.
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  let stage: ProbeStage = 'connect';
  let socket: Duplex | undefined;
  return new Promise<HopResult>((resolve) => {
    let settled = false;
    let request: ClientRequest | undefined;
    const done = (result: HopResult): void => {
      if (settled) return;
      settled = true;
      deadline.signal.removeEventListener('abort', onDeadline);
      request?.destroy();
      socket?.destroy();
      resolve(result);
    };
    const fail = (error: unknown): void => {
      const c = classifyFailure({ error, phase: stage, timedOut: deadline.expired() });
      done({ ok: false, result: c.result, detail: c.detail, outOfDescriptors: c.outOfDescriptors });
    };
    // The deadline is followed here rather than through request's `signal` option, whose listener
    // node:http removes only once the stream has closed, after the probe returned: the caller's
    // signal must be left clean (the scheduler reuses it).
    const onDeadline = (): void => fail(deadline.signal.reason);
    const createConnection: NonNullable<ClientRequestArgs['createConnection']> = (_options, created) => {
      clock.enter('connect');
      stage = 'connect';
      openTcp(address, port, deadline.signal)
        .then(async (tcp): Promise<Duplex> => {
          if (url.protocol !== 'https:') return tcp;
          clock.enter('tls');
          stage = 'tls';
          const servername = http.tls.serverName ?? (isIP(hostname) ? undefined : hostname);
          return upgradeTls(tcp, {
            host: isIP(hostname) ? hostname : address,
            ...(servername ? { servername } : {}),
            ...(prepared.ca ? { ca: prepared.ca } : {}),
            rejectUnauthorized: !http.tls.insecureSkipVerify,
          }, deadline.signal);
        })
        .then((connected) => {
          socket = connected;
          if (settled) return void connected.destroy();
          clock.enter('processing');
          stage = 'response';
          created(null, connected);
        }, (error: Error) => created(error, undefined as never)); // node:http reads no socket with an error
      return undefined;
    };
    try {
      request = nodeHttp.request({
        method: http.method,
        path: `${url.pathname}${url.search}`,
        // No Accept-Encoding: the body is never decompressed, so it stays bounded.
        headers: { host: url.host, 'user-agent': USER_AGENT, ...http.headers },
        createConnection,
        maxHeaderSize: MAX_RESPONSE_HEADER_BYTES,
      });
    } catch (error) {
      // node:http refused to build the request (a header value it will not send; the catalog
      // checks for it, an embedder may not): nothing was sent. A connection it began is
      // destroyed when it opens (settled).
      return done({ ok: false, result: 'error', detail: `request not sent: ${(error as Error).message}` });
    }
    deadline.signal.addEventListener('abort', onDeadline, { once: true });
    let answered: IncomingMessage | undefined;
    // Bytes after a complete response (a body sent with a HEAD answer, a 204 or a 304, more than
    // Content-Length said) fail node:http's parser once the response is whole, in the same read:
    // the answer stands (a client reading it would have it), and the body read ends on its own.
    request.on('error', (error) => (answered?.complete ? undefined : fail(error)));
    shedOnClose(request);
    // Processing ends at the response's first bytes (blackbox_exporter's "processing" too), not
    // when the head is parsed and our callback ran: under load that hand-off waited behind other
    // probes' callbacks. 'socket' comes after node:http attached its own reader, so this listener
    // takes nothing from it; no byte arrives before the request is sent.
    request.on('socket', (s: Duplex) => {
      s.once('data', () => {
        if (clock.running === 'processing') clock.enter('transfer');
      });
    });
    request.on('response', (response: IncomingMessage) => {
      answered = response;
      shedOnClose(response);
      if (clock.running !== 'transfer') clock.enter('transfer');
      stage = 'body';
      const status = response.statusCode ?? 0;
      const location = headerValue(response.headers.location);
      const head = { ok: true as const, status, ...(location ? { location } : {}) };
      if (follow(status, location)) {
        clock.stop();
        return done(head);
      }
      readBoundedBody(response, http.maxBodyBytes).then((body) => {
        clock.stop();
        done({ ...head, body });
      }, fail);
    });
    // A 101 we never asked for: node:http emits no 'response' for it, only 'upgrade', and without
    // a listener destroys the socket silently (the probe then sat out its deadline as http_timeout).
    // The server answered: its status is judged like any other.
    request.on('upgrade', (response: IncomingMessage) => {
      clock.stop();
      done({ ok: true, status: response.statusCode ?? 0 });
    });
    request.end();
  });
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

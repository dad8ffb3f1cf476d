// Defaults first: the built-in values, the file's `defaults:` block over them, each path's own
// fields over that. Also the checks of the mergeable settings where they are written.
import { formatDuration, parseDuration } from './duration.js';
import { clip } from './k8s-names.js';
import { joinYamlPath, type Locator } from './locate.js';
import type { Problems } from './problems.js';
import type { RawDefaults, RawDns, RawHttp } from './schema.js';
import { checkHttpUrl, parseHostPort } from './target.js';
import { isIP } from 'node:net';
import type { DnsOptions, HttpOptions, Severity } from './types.js';
import { bodyMatchProblem } from '../probe/body-match.js';

/** Built-in defaults, applied under the catalog's `defaults:`. */
export const BUILTIN_DEFAULTS = {
  intervalMs: 30_000,
  timeoutMs: 5_000,
  severity: 'critical' as Severity,
  expect: 'reachable' as const,
  http: {
    method: 'GET',
    expectStatus: [200],
    maxBodyBytes: 64 * 1024,
    followRedirects: 0,
    headers: {},
    tls: { insecureSkipVerify: false },
  } satisfies HttpOptions as HttpOptions,
  dns: { type: 'A', transport: 'udp' } satisfies DnsOptions as DnsOptions,
};

/** Smallest interval a path may use. */
export const MIN_INTERVAL_MS = 1_000;

/** A duration with where it came from, for messages. */
export interface TimedSetting {
  ms: number;
  origin: 'path' | 'defaults' | 'built-in';
}

/** The file's defaults, checked and merged over the built-ins. */
export interface FileDefaults {
  interval: TimedSetting;
  timeout: TimedSetting;
  severity: Severity;
  owner?: string;
  runbook?: string;
  http: HttpOptions;
  dns: DnsOptions;
}

/** Checks a file's `defaults:` block once and merges it over the built-ins. */
export function resolveFileDefaults(raw: RawDefaults | undefined, loc: Locator, problems: Problems): FileDefaults {
  const d = raw ?? {};
  const interval = duration(d.interval, 'defaults.interval', loc, problems, 'defaults') ?? { ms: BUILTIN_DEFAULTS.intervalMs, origin: 'built-in' as const };
  const timeout = duration(d.timeout, 'defaults.timeout', loc, problems, 'defaults') ?? { ms: BUILTIN_DEFAULTS.timeoutMs, origin: 'built-in' as const };
  checkIntervalBounds(interval, 'defaults.interval', loc, problems);
  if (d.interval !== undefined || d.timeout !== undefined) {
    const at = d.timeout !== undefined ? 'defaults.timeout' : 'defaults.interval';
    checkTimeoutBelowInterval(timeout, interval, at, loc, problems);
  }
  if (d.runbook !== undefined) checkRunbook(d.runbook, 'defaults.runbook', loc, problems);
  if (d.http) checkHttpSettings(d.http, 'defaults.http', loc, problems);
  if (d.dns) checkDnsSettings(d.dns, 'defaults.dns', loc, problems);
  return {
    interval,
    timeout,
    severity: d.severity ?? BUILTIN_DEFAULTS.severity,
    owner: d.owner,
    runbook: d.runbook,
    http: mergeHttp(BUILTIN_DEFAULTS.http, d.http),
    dns: mergeDns(BUILTIN_DEFAULTS.dns, d.dns),
  };
}

/** Parses a written duration; undefined when absent or invalid (invalid is reported). */
export function duration(
  text: string | undefined,
  path: string,
  loc: Locator,
  problems: Problems,
  origin: TimedSetting['origin'],
): TimedSetting | undefined {
  if (text === undefined) return undefined;
  const parsed = parseDuration(text);
  if ('error' in parsed) {
    problems.error(loc, path, parsed.error);
    return undefined;
  }
  return { ms: parsed.ms, origin };
}

/** interval ≥ 1s. */
export function checkIntervalBounds(interval: TimedSetting, path: string, loc: Locator, problems: Problems): void {
  if (interval.ms < MIN_INTERVAL_MS) {
    problems.error(loc, path, `interval ${formatDuration(interval.ms)} is shorter than the minimum of 1s`);
  }
}

/** timeout < interval, reported at `path`, naming where each value came from. */
export function checkTimeoutBelowInterval(
  timeout: TimedSetting,
  interval: TimedSetting,
  path: string,
  loc: Locator,
  problems: Problems,
): void {
  if (timeout.ms < interval.ms) return;
  const origin = (s: TimedSetting) => (s.origin === 'path' ? '' : s.origin === 'defaults' ? ' (from defaults)' : ' (built-in default)');
  problems.error(
    loc,
    path,
    `timeout ${formatDuration(timeout.ms)}${origin(timeout)} must be shorter than interval ${formatDuration(interval.ms)}${origin(interval)}`,
  );
}

/** runbook must be an http(s) URL. */
export function checkRunbook(text: string, path: string, loc: Locator, problems: Problems): void {
  const url = checkHttpUrl(text, 'runbook');
  if (typeof url === 'string') problems.error(loc, path, url);
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/**
 * Headers that frame the exchange, which the prober owns: a GET declaring a body the prober never
 * sends (Content-Length, Transfer-Encoding) or waiting for a 100 (Expect) would hang or be refused
 * by the target, and be reported as the path's fault. Host stays settable (virtual hosts).
 */
const FRAMING_HEADERS: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding', 'expect', 'connection', 'te', 'upgrade']);

/** Checks http settings where written: header names/values, bodyMatch as a regular expression. */
export function checkHttpSettings(http: RawHttp, path: string, loc: Locator, problems: Problems): void {
  for (const [name, value] of Object.entries(http.headers ?? {})) {
    const at = joinYamlPath(joinYamlPath(path, 'headers'), name);
    if (!HEADER_NAME.test(name)) problems.error(loc, at, `header name "${clip(name)}" is not a valid HTTP token`, 'key');
    else if (FRAMING_HEADERS.has(name.toLowerCase())) {
      problems.error(loc, at, `header "${clip(name)}" is set by the prober (it sends no body and one request per connection)`, 'key');
    }
    else if (/[\r\n\0]/.test(value)) problems.error(loc, at, `header "${clip(name)}" must not contain line breaks or NUL`);
    // What node:http sends (RFC 9110 field-value, obs-text as bytes): tab, visible ASCII and
    // space, and \x80-\xff; any other character it refuses at request time.
    else if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) {
      problems.error(loc, at, `header "${clip(name)}" may hold only tab, printable ASCII and characters U+0080–U+00FF (as Node.js sends them)`);
    }
  }
  if (http.bodyMatch !== undefined) {
    const problem = bodyMatchProblem(http.bodyMatch);
    if (problem !== undefined) problems.error(loc, joinYamlPath(path, 'bodyMatch'), problem);
  }
}

/** Checks dns settings where written: `server` is an IP address with an optional port. */
export function checkDnsSettings(dns: RawDns, path: string, loc: Locator, problems: Problems): void {
  if (dns.server === undefined) return;
  const at = joinYamlPath(path, 'server');
  const parsed = parseHostPort(dns.server, 53);
  if ('error' in parsed) problems.error(loc, at, `dns.server ${parsed.error}`);
  else if (isIP(parsed.host) === 0) problems.error(loc, at, `dns.server "${clip(dns.server)}" must be an IP address, optionally with :port`);
}

/** Field-by-field merge; `headers` and `expectStatus` replace, `tls` merges field by field. */
export function mergeHttp(base: HttpOptions, over: RawHttp | undefined): HttpOptions {
  if (!over) return base;
  const out: HttpOptions = {
    method: over.method ?? base.method,
    expectStatus: over.expectStatus ?? base.expectStatus,
    maxBodyBytes: over.maxBodyBytes ?? base.maxBodyBytes,
    followRedirects: over.followRedirects ?? base.followRedirects,
    headers: over.headers ?? base.headers,
    tls: { ...base.tls, ...stripUndefined(over.tls ?? {}) },
  };
  const bodyMatch = over.bodyMatch ?? base.bodyMatch;
  if (bodyMatch !== undefined) out.bodyMatch = bodyMatch;
  return out;
}

/** Field-by-field merge of dns settings; `server` is parsed to host and port. */
export function mergeDns(base: DnsOptions, over: RawDns | undefined): DnsOptions {
  if (!over) return base;
  const out: DnsOptions = { type: over.type ?? base.type, transport: over.transport ?? base.transport };
  if (over.server !== undefined) {
    const parsed = parseHostPort(over.server, 53);
    if (!('error' in parsed)) out.server = { host: parsed.host, port: parsed.port };
  } else if (base.server) out.server = base.server;
  return out;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

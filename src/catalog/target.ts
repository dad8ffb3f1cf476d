// Parsing of a path's `to:` per check kind (tcp host:port, http(s) URL, dns name) and of the
// destination namespace a cluster Service name implies. Pure functions; messages, no locations.
import { isIP } from 'node:net';
import { clip } from './k8s-names.js';

/** A parsed destination. `host` carries no IPv6 brackets. */
export interface ParsedTarget {
  host: string;
  port: number;
  url?: string;
}

const HOST_LABEL = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$/i;

/** Whether `host` is an RFC 1123 host name (a trailing dot marks it absolute). */
export function isHostname(host: string): boolean {
  const bare = host.endsWith('.') ? host.slice(0, -1) : host;
  if (bare.length === 0 || bare.length > 253) return false;
  return bare.split('.').every((label) => label.length <= 63 && HOST_LABEL.test(label));
}

/**
 * Splits `host:port` (IPv6 as `[addr]:port`). With `defaultPort`, the port may be omitted.
 * Returns the parts or an error message.
 */
export function parseHostPort(text: string, defaultPort?: number): ParsedTarget | { error: string } {
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return { error: `"${clip(text)}" has an unclosed '[' (write IPv6 as [fd00::1]:443)` };
    host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return { error: `"${clip(text)}" must be [IPv6]:port` };
    portText = rest === '' ? undefined : rest.slice(1);
    if (isIP(host) !== 6) return { error: `"${clip(host)}" in brackets is not an IPv6 address` };
  } else {
    const colons = text.split(':').length - 1;
    if (colons > 1) return { error: `"${clip(text)}" looks like a bare IPv6 address; write IPv6 in brackets, e.g. [fd00::1]${defaultPort ? '' : ':443'}` };
    const at = text.lastIndexOf(':');
    host = at >= 0 ? text.slice(0, at) : text;
    portText = at >= 0 ? text.slice(at + 1) : undefined;
    if (host === '') return { error: `"${clip(text)}" has no host` };
    if (isIP(host) !== 4 && !isHostname(host)) return { error: `"${clip(text)}" does not start with a valid host name or IP address` };
  }
  if (portText === undefined) {
    if (defaultPort !== undefined) return { host, port: defaultPort };
    return { error: `"${clip(text)}" needs a port: write host:port` };
  }
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    return { error: `"${clip(text)}" has port ${clip(portText)}; a port is a number from 1 to 65535` };
  }
  return { host, port: Number(portText) };
}

/** tcp: `host:port`. */
export function parseTcpTarget(text: string): ParsedTarget | { error: string } {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { error: `tcp target "${clip(text)}" is a URL; write host:port (or use check: http)` };
  const parsed = parseHostPort(text);
  return 'error' in parsed ? { error: `tcp target ${parsed.error}` } : parsed;
}

/** http: an absolute http(s) URL without credentials; the port defaults to 80/443. */
export function parseHttpTarget(text: string): ParsedTarget | { error: string } {
  const problem = checkHttpUrl(text, 'http target');
  if (typeof problem === 'string') return { error: problem };
  const url = problem;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { host, port, url: url.href };
}

/** dns: a host name to resolve (no scheme, no port, not an IP address). */
export function parseDnsTarget(text: string): ParsedTarget | { error: string } {
  if (isIP(text) !== 0 || isIP(text.replace(/^\[|\]$/g, '')) !== 0) {
    return { error: `dns target "${clip(text)}" is an IP address; write the name to resolve` };
  }
  if (text.includes(':') || text.includes('/')) {
    return { error: `dns target "${clip(text)}" must be a bare host name (no scheme, no port); set dns.server for the server` };
  }
  if (!isHostname(text)) return { error: `dns target "${clip(text)}" is not a valid host name` };
  return { host: text, port: 0 };
}

/** Validates an absolute http(s) URL; returns the URL or a message naming `what`. */
export function checkHttpUrl(text: string, what: string): URL | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${what} "${clip(text)}" is not an absolute http:// or https:// URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `${what} "${clip(text)}" must use http:// or https://`;
  }
  if (url.hostname === '') return `${what} "${clip(text)}" has no host`;
  if (url.username !== '' || url.password !== '') {
    return `${what} "${clip(text)}" must not carry credentials (it is exported as a label)`;
  }
  return url;
}

const CLUSTER_SERVICE = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?)\.([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.svc(\..+)?)?$/;

/**
 * The namespace a cluster Service host name points into: `name.ns`, `name.ns.svc`,
 * `name.ns.svc.<cluster-domain>`; a single label means the source's own namespace (the search
 * path resolves it there). An absolute name (trailing dot) counts only with `.svc.`; IP
 * addresses and other names give ''.
 */
export function destinationNamespace(host: string, sourceNamespace: string): string {
  if (isIP(host) !== 0) return '';
  const absolute = host.endsWith('.');
  const name = (absolute ? host.slice(0, -1) : host).toLowerCase();
  if (!name.includes('.')) return absolute || name === 'localhost' ? '' : sourceNamespace;
  const m = CLUSTER_SERVICE.exec(name);
  if (!m) return '';
  const hasSvc = m[5] !== undefined;
  if (absolute && (!hasSvc || m[6] === undefined)) return '';
  return m[3] ?? '';
}

// PathSpec builders for prober tests: the catalog loader's output shape, written by hand.
import type { DnsOptions, HttpOptions, PathSpec } from '../../src/catalog/types.js';

function base(check: PathSpec['check'], target: string, host: string, port: number, timeoutMs: number): PathSpec {
  return {
    name: `test-${check}`, baseName: `test-${check}`,
    source: { name: 'test', namespace: 'test', labels: {} },
    check, target, host, port, toNamespace: '', expect: 'reachable',
    intervalMs: 30_000, timeoutMs, severity: 'critical',
    location: { file: 'test.yaml', line: 1, col: 1 },
  };
}

/** A tcp path to host:port. */
export function tcpPath(host: string, port: number, timeoutMs = 2000): PathSpec {
  return base('tcp', `${host}:${port}`, host, port, timeoutMs);
}

/** An http path to `url`, http options over the loader's defaults. */
export function httpPath(url: string, http: Partial<HttpOptions> = {}, timeoutMs = 2000): PathSpec {
  const u = new URL(url);
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  return {
    ...base('http', url, u.hostname.replace(/^\[|\]$/g, ''), port, timeoutMs),
    url,
    http: {
      method: 'GET', expectStatus: [200], maxBodyBytes: 64 * 1024, followRedirects: 0, headers: {},
      tls: { insecureSkipVerify: false }, ...http,
    },
  };
}

/** A dns path resolving `name`. */
export function dnsPath(name: string, dns: Partial<DnsOptions> = {}, timeoutMs = 2000): PathSpec {
  return { ...base('dns', name, name, 0, timeoutMs), dns: { type: 'A', transport: 'udp', ...dns } };
}

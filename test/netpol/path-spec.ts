// Builds PathSpec objects by hand for engine tests (the catalog loader is tested elsewhere).
import type { PathSpec } from '../../src/catalog/types.js';

/** A path from `namespace` + labels to `target`; `host:port` or `http://...` or a DNS name. */
export function pathSpec(p: {
  name: string;
  source: { name?: string; namespace: string; labels?: Record<string, string> };
  target: string;
  check?: PathSpec['check'];
  expect?: PathSpec['expect'];
  dnsServer?: { host: string; port: number };
}): PathSpec {
  const check = p.check ?? 'tcp';
  let host = p.target;
  let port = 0;
  if (check === 'http') {
    const u = new URL(p.target);
    host = u.hostname;
    port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  } else if (check === 'tcp') {
    const i = p.target.lastIndexOf(':');
    host = p.target.slice(0, i).replace(/^\[|\]$/g, '');
    port = Number(p.target.slice(i + 1));
  }
  const m = /^[a-z0-9-]+\.([a-z0-9-]+)\.svc(\.|$)/.exec(host);
  const spec: PathSpec = {
    name: p.name, baseName: p.name,
    source: { name: p.source.name ?? p.source.namespace, namespace: p.source.namespace, labels: p.source.labels ?? {} },
    check, target: p.target, host, port, toNamespace: m?.[1] ?? '', expect: p.expect ?? 'reachable',
    intervalMs: 30000, timeoutMs: 5000, severity: 'critical', location: { file: 'test.yaml', line: 1, col: 1 },
  };
  if (check === 'dns') spec.dns = { type: 'A', transport: 'udp', ...(p.dnsServer ? { server: p.dnsServer } : {}) };
  return spec;
}

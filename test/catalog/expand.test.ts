// Defaults layering and fan-out: what PathSpecs a catalog becomes.
import t from 'tap';
import { loadCatalogText } from '../../src/catalog/load.js';
import type { PathSpec } from '../../src/catalog/types.js';
import { catalogWith } from './fixtures.js';

function load(text: string): PathSpec[] {
  const r = loadCatalogText(text, 'c.yaml');
  if (!r.catalog) throw new Error(r.errors.map((e) => `${e.line}:${e.col} ${e.message}`).join('\n'));
  return r.catalog.paths;
}

t.test('a bare tcp path gets every built-in default and its exact PathSpec', async (t) => {
  const [p] = load(catalogWith('  - name: eso-to-vault\n    from: {namespace: external-secrets}\n    to: vault.vault.svc.cluster.local:8200\n    check: tcp\n'));
  t.same(p, {
    name: 'eso-to-vault',
    baseName: 'eso-to-vault',
    source: { name: 'external-secrets', namespace: 'external-secrets', labels: {} },
    check: 'tcp',
    target: 'vault.vault.svc.cluster.local:8200',
    host: 'vault.vault.svc.cluster.local',
    port: 8200,
    toNamespace: 'vault',
    expect: 'reachable',
    intervalMs: 30_000,
    timeoutMs: 5_000,
    severity: 'critical',
    location: { file: 'c.yaml', line: 4, col: 5 },
  });
});

t.test('http and dns paths get their built-in settings', async (t) => {
  const [h, d] = load(
    catalogWith('  - name: h\n    from: {namespace: a}\n    to: https://x.b.svc/healthz\n    check: http\n  - name: d\n    from: {namespace: a}\n    to: x.b.svc\n    check: dns\n'),
  );
  t.same(h?.http, { method: 'GET', expectStatus: [200], maxBodyBytes: 65536, followRedirects: 0, headers: {}, tls: { insecureSkipVerify: false } });
  t.equal(h?.url, 'https://x.b.svc/healthz');
  t.equal(h?.port, 443);
  t.equal(h?.dns, undefined);
  t.same(d?.dns, { type: 'A', transport: 'udp' });
  t.equal(d?.port, 0);
  t.equal(d?.http, undefined);
});

t.test('catalog defaults sit between the built-ins and each path', async (t) => {
  const head = [
    'defaults:',
    '  interval: 1m',
    '  timeout: 2s',
    '  severity: warning',
    '  owner: platform',
    '  runbook: https://runbooks.example/p',
    '  http: {expectStatus: [200, 204], headers: {x-probe: pathprobe}, tls: {serverName: k.example}}',
    '  dns: {server: "10.96.0.10", transport: tcp}',
    '',
  ].join('\n');
  const paths = [
    '  - name: h',
    '    from: {namespace: a}',
    '    to: https://k.b.svc/',
    '    check: http',
    '    timeout: 1500ms',
    '    severity: info',
    '    http: {method: HEAD, tls: {insecureSkipVerify: true}}',
    '  - name: d',
    '    from: {namespace: a}',
    '    to: x.b.svc',
    '    check: dns',
    '    interval: 1m30s',
    '    owner: team-a',
    '    dns: {type: AAAA, server: "[fd00::a]:5353"}',
    '',
  ].join('\n');
  const [h, d] = load(catalogWith(paths, head));
  t.match(h, { intervalMs: 60_000, timeoutMs: 1_500, severity: 'info', owner: 'platform', runbook: 'https://runbooks.example/p' });
  t.same(h?.http, {
    method: 'HEAD',
    expectStatus: [200, 204],
    maxBodyBytes: 65536,
    followRedirects: 0,
    headers: { 'x-probe': 'pathprobe' },
    tls: { insecureSkipVerify: true, serverName: 'k.example' },
  });
  t.match(d, { intervalMs: 90_000, timeoutMs: 2_000, severity: 'warning', owner: 'team-a' });
  t.same(d?.dns, { type: 'AAAA', transport: 'tcp', server: { host: 'fd00::a', port: 5353 } });
});

t.test('paths do not share mutable settings objects', async (t) => {
  const [a, b] = load(catalogWith('  - {name: a, from: {namespace: n}, to: "http://x.y/", check: http}\n  - {name: b, from: {namespace: n}, to: "http://x.y/", check: http}\n'));
  a?.http?.expectStatus.push(500);
  t.same(b?.http?.expectStatus, [200]);
  const [again] = load(catalogWith('  - {name: c, from: {namespace: n}, to: "http://x.y/", check: http}\n'));
  t.same(again?.http?.expectStatus, [200], 'built-in defaults untouched');
});

t.test('namespaces fan out into <name>@<namespace> with derived inline sources', async (t) => {
  const paths = load(
    catalogWith('  - name: tenant-dns\n    from: {namespaces: [team-a, team-b], labels: {app: probe}}\n    to: kubernetes.default.svc.cluster.local\n    check: dns\n'),
  );
  t.same(
    paths.map((p) => [p.name, p.baseName, p.source.name, p.source.namespace, p.toNamespace]),
    [
      ['tenant-dns@team-a', 'tenant-dns', 'team-a-probe', 'team-a', 'default'],
      ['tenant-dns@team-b', 'tenant-dns', 'team-b-probe', 'team-b', 'default'],
    ],
  );
  t.same(paths[0]?.source.labels, { app: 'probe' });
});

t.test('a list of sources fans out by namespace, or by source name when namespaces repeat', async (t) => {
  const head = 'sources:\n  a: {namespace: ns-1}\n  b: {namespace: ns-2}\n  c: {namespace: ns-2, labels: {app: other}}\n';
  const paths = load(
    catalogWith('  - {name: x, from: [a, b], to: "db:5432", check: tcp}\n  - {name: y, from: [b, c], to: "db:5432", check: tcp}\n', head),
  );
  t.same(
    paths.map((p) => [p.name, p.source.name, p.toNamespace]),
    [
      ['x@ns-1', 'a', 'ns-1'],
      ['x@ns-2', 'b', 'ns-2'],
      ['y@b', 'b', 'ns-2'],
      ['y@c', 'c', 'ns-2'],
    ],
  );
});

t.test('the expansion bound holds before anything is materialised', async (t) => {
  const namespaces = Array.from({ length: 1000 }, (_, i) => `n${i}`).join(', ');
  const entries = Array.from({ length: 11 }, (_, i) => `  - {name: p${i}, from: {namespaces: [${namespaces}]}, to: "db:1", check: tcp}\n`).join('');
  const r = loadCatalogText(catalogWith(entries), 'big.yaml');
  t.equal(r.catalog, undefined);
  t.same(r.errors.map((e) => `${e.line}:${e.col} ${e.yamlPath}: ${e.message}`), [
    '14:23 paths[10].from: the catalog expands to more than 10000 paths',
  ]);
});

t.test('exactly 10,000 expanded paths load', async (t) => {
  const namespaces = Array.from({ length: 1000 }, (_, i) => `n${i}`).join(', ');
  const entries = Array.from({ length: 10 }, (_, i) => `  - {name: p${i}, from: {namespaces: [${namespaces}]}, to: "db:1", check: tcp}\n`).join('');
  const r = loadCatalogText(catalogWith(entries), 'big.yaml');
  t.same(r.errors, []);
  t.equal(r.catalog?.paths.length, 10_000);
});

// Control links across fan-out, and the warnings around blocked paths.
import t from 'tap';
import { loadCatalogText } from '../../src/catalog/load.js';
import { catalogWith } from './fixtures.js';

function controls(paths: string, head = '') {
  const r = loadCatalogText(catalogWith(paths, head), 'c.yaml');
  t.same(r.errors, [], 'valid');
  return {
    links: Object.fromEntries((r.catalog?.paths ?? []).filter((p) => p.expect === 'blocked').map((p) => [p.name, p.control])),
    warnings: r.warnings.map((w) => `${w.line}:${w.col} ${w.yamlPath}: ${w.message}`),
  };
}

t.test('a single blocked path links to a single control', async (t) => {
  const r = controls(
    '  - {name: api-to-db, from: {namespace: production}, to: "postgres:5432", check: tcp}\n' +
      '  - {name: staging-no-db, from: {namespace: staging}, to: "postgres.production.svc:5432", check: tcp, expect: blocked, control: api-to-db}\n',
  );
  t.same(r.links, { 'staging-no-db': 'api-to-db' });
  t.same(r.warnings, [], 'postgres from production and postgres.production.svc are one destination');
});

t.test('every expansion of a fanned-out blocked path links to one plain control', async (t) => {
  const r = controls(
    '  - {name: api-to-db, from: {namespace: production}, to: "postgres.production.svc:5432", check: tcp}\n' +
      '  - {name: tenants-no-db, from: {namespaces: [team-a, team-b]}, to: "postgres.production.svc:5432", check: tcp, expect: blocked, control: api-to-db}\n',
  );
  t.same(r.links, { 'tenants-no-db@team-a': 'api-to-db', 'tenants-no-db@team-b': 'api-to-db' });
});

t.test('a fanned-out control links per namespace', async (t) => {
  const r = controls(
    '  - {name: web-to-cache, from: {namespaces: [team-a, team-b]}, to: "cache.shared.svc:6379", check: tcp}\n' +
      '  - {name: jobs-no-cache, from: {namespaces: [team-b, team-a], labels: {app: jobs}}, to: "cache.shared.svc:6379", check: tcp, expect: blocked, control: web-to-cache}\n',
  );
  t.same(r.links, { 'jobs-no-cache@team-b': 'web-to-cache@team-b', 'jobs-no-cache@team-a': 'web-to-cache@team-a' });
});

t.test('a fanned-out control links by source first when listed sources share a namespace', async (t) => {
  const head = 'sources:\n  a: {namespace: ns, labels: {app: a}}\n  b: {namespace: ns, labels: {app: b}}\n';
  const r = controls(
    '  - {name: reach, from: [a, b], to: "db.x.svc:1", check: tcp}\n' +
      '  - {name: blocked, from: [b, a], to: "db.x.svc:1", check: tcp, expect: blocked, control: reach}\n',
    head,
  );
  t.same(r.links, { 'blocked@b': 'reach@b', 'blocked@a': 'reach@a' });
});

t.test('a control may name one expansion explicitly', async (t) => {
  const r = controls(
    '  - {name: clients, from: {namespaces: [api, worker]}, to: "db.prod.svc:5432", check: tcp}\n' +
      '  - {name: tenants-no-db, from: {namespaces: [team-a, team-b]}, to: "db.prod.svc:5432", check: tcp, expect: blocked, control: clients@api}\n',
  );
  t.same(r.links, { 'tenants-no-db@team-a': 'clients@api', 'tenants-no-db@team-b': 'clients@api' });
});

t.test('warnings: blocked without control, control to another destination', async (t) => {
  const r = controls(
    '  - {name: api-to-db, from: {namespace: production}, to: "postgres:5432", check: tcp}\n' +
      '  - {name: no-control, from: {namespace: staging}, to: "postgres.production.svc:5432", check: tcp, expect: blocked}\n' +
      '  - {name: wrong-control, from: {namespace: dev}, to: "redis.production.svc:6379", check: tcp, expect: blocked, control: api-to-db}\n',
  );
  t.same(r.warnings, [
    '5:108 paths[1].expect: expect: blocked without a control: if the destination is down this path still looks blocked; name a reachable path to it as control',
    '6:122 paths[2].control: control "api-to-db" probes postgres:5432, not this path\'s destination redis.production.svc:6379',
  ]);
});

import t from 'tap';
import { checkPlacement, type PlacedAgent } from '../../src/render/placement-checks.js';
import type { ManifestObject } from '../../src/render/read-manifests.js';

const agent: PlacedAgent = {
  source: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  podLabels: { app: 'web', 'app.kubernetes.io/name': 'pathprobe-agent', 'pathprobe/agent': 'web' },
  port: 9477,
};
const obj = (kind: string, name: string, namespace: string | undefined, body: Record<string, unknown>): ManifestObject =>
  ({ kind, name, namespace, body: { kind, metadata: { name, namespace }, ...body }, origin: `fixture.yaml:1` });
const svc = (name: string, ns: string | undefined, selector?: Record<string, string>): ManifestObject =>
  obj('Service', name, ns, { spec: selector ? { selector, ports: [{ port: 80 }] } : { ports: [{ port: 80 }] } });
const deploy = (name: string, ns: string, labels: Record<string, string>, ports: number[]): ManifestObject =>
  obj('Deployment', name, ns, { spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'main', ports: ports.map((p) => ({ containerPort: p })) }] } } } });

t.test('a Service in the namespace whose selector matches the agent pods is reported', async (t) => {
  const problems = checkPlacement([agent], [
    svc('web', 'shop', { app: 'web' }),
    svc('other-ns', 'elsewhere', { app: 'web' }),
    svc('narrower', 'shop', { app: 'web', tier: 'frontend' }),
    svc('headless-manual', 'shop'),
  ]);
  t.equal(problems.length, 1);
  t.equal(problems[0]?.kind, 'service-selects-agent');
  t.match(problems[0]?.message, /Service shop\/web .*through app=web/);
});

t.test('a Service without a namespace is checked against every namespace, and says so', async (t) => {
  const problems = checkPlacement([agent], [svc('web', undefined, { app: 'web' })]);
  t.equal(problems.length, 1);
  t.match(problems[0]?.message, /no namespace in the manifest/);
});

t.test("a workload of the source using the agent's port is a collision; other workloads are not", async (t) => {
  const problems = checkPlacement([agent], [
    deploy('web', 'shop', { app: 'web', version: 'v2' }, [8080, 9477]),
    deploy('db', 'shop', { app: 'db' }, [9477]),
    deploy('web', 'other', { app: 'web' }, [9477]),
  ]);
  t.equal(problems.length, 1);
  t.equal(problems[0]?.kind, 'port-collision');
  t.match(problems[0]?.message, /Deployment shop\/web .*port 9477.*--port/);
  t.same(checkPlacement([{ ...agent, port: 9478 }], [deploy('web', 'shop', { app: 'web' }, [9477])]), []);
});

t.test('malformed pod templates (a half-rendered chart) declare no ports instead of crashing the checks', async (t) => {
  const template = (spec: unknown) => obj('Deployment', 'web', 'shop', { spec: { template: { metadata: { labels: { app: 'web' } }, spec } } });
  const broken = [
    template({ containers: {} }),
    template({ containers: 5, initContainers: 'x' }),
    template({ containers: [null, 'c', { name: 'a', ports: [null, 7, { containerPort: 8080 }] }] }),
    template('not a mapping'),
    obj('Deployment', 'web', 'shop', { spec: { template: { metadata: 'x', spec: { containers: [] } } } }),
    obj('CronJob', 'web', 'shop', { spec: { jobTemplate: null } }),
  ];
  t.same(checkPlacement([agent], broken), []);
  // A well-formed container beside the broken ones still counts.
  const problems = checkPlacement([agent], [template({ containers: [null, { name: 'main', ports: [null, { containerPort: 9477 }] }] })]);
  t.same(problems.map((p) => p.kind), ['port-collision']);
});

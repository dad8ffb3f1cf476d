// Path → traffic resolution: named targetPorts, several endpoints, pod IPs, external addresses,
// EndpointSlices, missing Services, and addresses unknown offline.
import t from 'tap';
import { PolicyExplainer } from '../../src/netpol/explainer.js';
import type { KubeObject } from '../../src/netpol/objects.js';
import type { PathSpec } from '../../src/catalog/types.js';
import { pathSpec } from './path-spec.js';
import { denyAll, denyIngress, namespace, service, workload } from './platform-objects.js';

function run(objects: KubeObject[], paths: PathSpec[]) {
  const e = new PolicyExplainer();
  e.load(objects);
  e.setPaths(paths);
  return e.explainAll();
}

const np = (ns: string, name: string, spec: Record<string, unknown>): KubeObject =>
  ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
const pod = (ns: string, name: string, labels: Record<string, string>, ip: string, ports: Record<string, unknown>[] = []): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { containers: [{ name: 'c', ports }] }, status: { podIP: ip } });

const grafana = { name: 'grafana', namespace: 'monitoring', labels: { app: 'grafana' } };

t.test('a named targetPort: the policy must name the pod port, not the Service port', async (t) => {
  const base = [
    namespace('identity'), denyIngress('identity'),
    workload('Deployment', 'identity', 'keycloak', { app: 'keycloak' }, [{ name: 'http', containerPort: 8080 }]),
    service('identity', 'keycloak', { app: 'keycloak' }, [{ port: 80, targetPort: 'http' }]),
  ];
  const path = pathSpec({ name: 'grafana-to-keycloak', source: grafana, target: 'http://keycloak.identity.svc.cluster.local/realms/master', check: 'http' });
  const wrong = np('identity', 'allow-80', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] });
  const [r] = run([...base, wrong], [path]);
  t.equal(r!.verdict, 'denied_ingress', 'port 80 is the Service port; traffic reaches the pod on 8080');
  t.equal(r!.to, 'Service identity/keycloak TCP 8080');
  t.match(r!.suggestion, /port: http\n/, 'the suggestion names the targetPort by name');
  t.equal(r!.suggestionVerified, true);
  const right = np('identity', 'allow-8080', { podSelector: {}, ingress: [{ ports: [{ port: 8080 }] }] });
  t.equal(run([...base, right], [path])[0]!.verdict, 'allowed');
  const named = np('identity', 'allow-http', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] });
  t.equal(run([...base, named], [path])[0]!.verdict, 'allowed');
});

t.test('named ports of init containers count only for sidecars (restartPolicy: Always)', async (t) => {
  // FindPort (Service targetPort) looks at containers, then at restartable init containers only.
  const withInit = (restartPolicy?: string): KubeObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api-0', namespace: 'svc', labels: { app: 'api' } },
    spec: {
      initContainers: [{ name: 'side', ...(restartPolicy ? { restartPolicy } : {}), ports: [{ name: 'http', containerPort: 8080 }] }],
      containers: [{ name: 'c' }],
    },
    status: { podIP: '10.6.0.1' },
  });
  const objects = [namespace('svc'), service('svc', 'api', { app: 'api' }, [{ port: 80, targetPort: 'http' }])];
  const path = pathSpec({ name: 'p', source: { namespace: 'client' }, target: 'api.svc.svc.cluster.local:80' });
  const init = run([...objects, withInit()], [path])[0]!;
  t.equal(init.verdict, 'unknown', 'a plain init container has exited: its port name resolves nowhere');
  t.match(init.notes.join('\n'), /declares no TCP container port named "http"/);
  const sidecar = run([...objects, withInit('Always')], [path])[0]!;
  t.equal(sidecar.verdict, 'allowed');
  t.equal(sidecar.to, 'Service svc/api TCP 8080');
});

t.test('several endpoints: a must-work path needs all of them, a blocked path none', async (t) => {
  const objects = [
    namespace('db'), denyIngress('db'),
    pod('db', 'pg-0', { app: 'pg', role: 'primary' }, '10.9.0.1'),
    pod('db', 'pg-1', { app: 'pg', role: 'replica' }, '10.9.0.2'),
    service('db', 'pg', { app: 'pg' }, [{ port: 5432 }]),
    np('db', 'allow-primary', { podSelector: { matchLabels: { role: 'primary' } }, ingress: [{ ports: [{ port: 5432 }] }] }),
  ];
  const reach = pathSpec({ name: 'app-db', source: { namespace: 'app' }, target: 'pg.db.svc.cluster.local:5432' });
  const [r] = run(objects, [reach]);
  t.equal(r!.verdict, 'denied_ingress');
  t.same(r!.connections, { total: 2, allowed: 1, deniedEgress: 0, deniedIngress: 1, unknown: 0 });
  t.match(r!.notes.join('\n'), /1 of 2 connections allowed/);
  t.match(r!.suggestion, /app: pg/);
  const [b] = run(objects, [{ ...reach, name: 'app-db-blocked', expect: 'blocked' }]);
  t.equal(b!.verdict, 'allowed');
  t.equal(b!.matches, false);
});

t.test('a pod IP target, a ClusterIP target, and headless pod names', async (t) => {
  const objects = [
    namespace('web'), denyIngress('web'),
    pod('web', 'web-0', { app: 'web' }, '10.4.0.10'),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'web' }, spec: { clusterIP: '10.96.0.40', selector: { app: 'web' }, ports: [{ port: 443, targetPort: 8443 }] } },
    np('web', 'allow-8443', { podSelector: {}, ingress: [{ ports: [{ port: 8443 }] }] }),
  ];
  const byPodIp = run(objects, [pathSpec({ name: 'ip', source: { namespace: 'a' }, target: '10.4.0.10:8443' })])[0]!;
  t.equal(byPodIp.verdict, 'allowed');
  t.match(byPodIp.to, /pod web\/web-0/);
  const byClusterIp = run(objects, [pathSpec({ name: 'cip', source: { namespace: 'a' }, target: '10.96.0.40:443' })])[0]!;
  t.equal(byClusterIp.verdict, 'allowed');
  t.equal(byClusterIp.to, 'Service web/web TCP 8443');
  const bare = run(objects, [pathSpec({ name: 'bare', source: { namespace: 'web' }, target: 'web:443' })])[0]!;
  t.equal(bare.verdict, 'allowed', 'a bare name resolves in the source namespace');
  const short = run(objects, [pathSpec({ name: 'short', source: { namespace: 'a' }, target: 'web.web:443' })])[0]!;
  t.equal(short.verdict, 'allowed');
});

t.test('external addresses are egress-only; unknown host addresses never silently allow', async (t) => {
  const objects = [namespace('app'), denyAll('app')];
  const ip = pathSpec({ name: 'to-ip', source: { namespace: 'app' }, target: '203.0.113.10:443' });
  const [denied] = run(objects, [ip]);
  t.equal(denied!.verdict, 'denied_egress');
  t.equal(denied!.ingress.applies, false);
  t.match(denied!.suggestion, /cidr: 203\.0\.113\.10\/32/);
  t.equal(denied!.suggestionVerified, true);
  const block = np('app', 'allow-net', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.10/32'] } }] }] });
  t.equal(run([...objects, block], [ip])[0]!.verdict, 'denied_egress', 'the except carves the address out');
  const host = pathSpec({ name: 'to-host', source: { namespace: 'app' }, target: 'api.example.com:443' });
  const maybe = run([...objects, block], [host])[0]!;
  t.equal(maybe.verdict, 'unknown', 'an ipBlock may or may not hold the host: unknown, not allowed');
  t.match(maybe.notes.join('\n'), /ipBlock of app\/allow-net rule 0 may or may not match/);
  const onlyPods = np('app', 'pods-only', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }] }] });
  t.equal(run([...objects, onlyPods], [host])[0]!.verdict, 'denied_egress', 'pod selectors never match an outside host');
  const anywhere = np('app', 'anywhere', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] }] });
  t.equal(run([...objects, anywhere], [host])[0]!.verdict, 'allowed');
});

t.test('an absolute name (trailing dot) is looked up as written: only name.ns.svc.<domain>. is a Service', async (t) => {
  // A namespace `ai` and a Service `openrouter` in it: `openrouter.ai.` is still the outside host.
  const objects = [
    namespace('ai'), namespace('app'), denyAll('app'),
    workload('Deployment', 'ai', 'openrouter', { app: 'openrouter' }, [{ containerPort: 443 }]),
    service('ai', 'openrouter', { app: 'openrouter' }, [{ port: 443 }]),
    workload('Deployment', 'app', 'cache', { app: 'cache' }, [{ containerPort: 443 }]),
    service('app', 'cache', { app: 'cache' }, [{ port: 443 }]),
  ];
  const src = { namespace: 'app' };
  for (const target of ['openrouter.ai.:443', 'cache.:443', 'openrouter.ai.svc.:443']) {
    const r = run(objects, [pathSpec({ name: 'p', source: src, target })])[0]!;
    t.match(r.to, /^host /, `${target} is outside the cluster`);
    t.equal(r.ingress.applies, false, `${target}: egress only`);
    t.match(r.suggestion, /cidr: 0\.0\.0\.0\/0/, `${target}: the suggestion is an ipBlock`);
  }
  const full = run(objects, [pathSpec({ name: 'f', source: src, target: 'openrouter.ai.svc.cluster.local.:443' })])[0]!;
  t.equal(full.to, 'Service ai/openrouter TCP 443', 'the fully qualified cluster name stays a Service');
  const relative = run(objects, [pathSpec({ name: 'r', source: src, target: 'openrouter.ai:443' })])[0]!;
  t.equal(relative.to, 'Service ai/openrouter TCP 443', 'without the dot, name.ns is the Service');
});

t.test('template pods have no IP: an ipBlock ingress rule makes the verdict unknown', async (t) => {
  const objects = [
    namespace('svc'), denyIngress('svc'),
    workload('Deployment', 'svc', 'api', { app: 'api' }, [{ containerPort: 80 }]),
    service('svc', 'api', { app: 'api' }, [{ port: 80 }]),
    np('svc', 'from-cidr', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }),
  ];
  const [r] = run(objects, [pathSpec({ name: 'p', source: { namespace: 'client' }, target: 'api.svc.svc.cluster.local:80' })]);
  t.equal(r!.verdict, 'unknown');
  t.equal(r!.ingress.allowed, null);
});

t.test('EndpointSlices back a Service without selector; missing things are unknown with a reason', async (t) => {
  const objects = [
    namespace('ext'), denyAll('client'),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'ext' }, spec: { ports: [{ name: 'pg', port: 5432 }] } },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'db-1', namespace: 'ext', labels: { 'kubernetes.io/service-name': 'db' } }, addressType: 'IPv4', endpoints: [{ addresses: ['192.0.2.5'] }], ports: [{ name: 'pg', port: 6432 }] },
  ];
  const [r] = run(objects, [pathSpec({ name: 'p', source: { namespace: 'client' }, target: 'db.ext.svc.cluster.local:5432' })]);
  t.equal(r!.verdict, 'denied_egress');
  t.match(r!.suggestion, /cidr: 192\.0\.2\.5\/32/);
  t.match(r!.suggestion, /port: 6432/);
  const missing = run(objects, [pathSpec({ name: 'm', source: { namespace: 'client' }, target: 'nope.ext.svc.cluster.local:80' })])[0]!;
  t.equal(missing.verdict, 'unknown');
  t.match(missing.notes[0], /Service ext\/nope is not in the manifests/);
  const noPort = run(objects, [pathSpec({ name: 'n', source: { namespace: 'client' }, target: 'db.ext.svc.cluster.local:80' })])[0]!;
  t.equal(noPort.verdict, 'unknown');
  t.match(noPort.notes[0], /has no TCP port 80/);
  const noEndpoints = run([service('ext', 'empty', { app: 'none' }, [{ port: 80 }])], [pathSpec({ name: 'e', source: { namespace: 'client' }, target: 'empty.ext.svc.cluster.local:80' })])[0]!;
  t.equal(noEndpoints.verdict, 'unknown');
  t.match(noEndpoints.notes[0], /no endpoints/);
});

t.test('source pods in the manifests are the ones evaluated; policies selecting extra labels count', async (t) => {
  const objects = [
    namespace('team'),
    pod('team', 'worker', { app: 'worker', locked: 'yes' }, '10.5.0.1'),
    np('team', 'locked-egress', { podSelector: { matchLabels: { locked: 'yes' } }, policyTypes: ['Egress'] }),
  ];
  const [r] = run(objects, [pathSpec({ name: 'p', source: { namespace: 'team', labels: { app: 'worker' } }, target: '198.51.100.1:443' })]);
  t.equal(r!.verdict, 'denied_egress');
  t.same(r!.egress.isolatedBy, ['team/locked-egress']);
});

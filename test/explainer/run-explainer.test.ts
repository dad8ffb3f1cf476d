// End to end: `runExplainer` against the stand-in API server with the real NetworkPolicy engine.
import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { request } from 'undici';
import type { CommandIO } from '../../src/cli/command.js';
import { runExplainer } from '../../src/explainer/run-explainer.js';
import { PolicyExplainer } from '../../src/netpol/index.js';
import { FakeApiServer } from '../helpers/fake-apiserver.js';
import { defaultDenyIngress, endpointSlice, namespace, networkPolicy, pod, service } from '../helpers/k8s-objects.js';
import { until } from '../helpers/until.js';

const ESO_LABELS = { 'app.kubernetes.io/name': 'external-secrets' };

const CATALOG = `apiVersion: pathprobe/v1
kind: PathCatalog
sources:
  eso: {namespace: external-secrets, labels: {app.kubernetes.io/name: external-secrets}}
paths:
  - name: eso-to-vault
    from: eso
    to: vault.vault.svc.cluster.local:8200
    check: tcp
  - name: eso-dns
    from: eso
    to: vault.vault.svc.cluster.local
    check: dns
`;

const allowEsoToVault = networkPolicy('vault', 'allow-eso-to-vault', {
  podSelector: { matchLabels: { app: 'vault' } },
  policyTypes: ['Ingress'],
  ingress: [{
    from: [{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'external-secrets' } },
      podSelector: { matchLabels: ESO_LABELS },
    }],
    ports: [{ protocol: 'TCP', port: 8200 }],
  }],
});

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await request(url);
  return { status: res.statusCode, body: await res.body.text() };
}

function verdictLine(metrics: string, path: string, verdict: string): string | undefined {
  return new RegExp(`^pathprobe_policy_verdict\\{path="${path}",verdict="${verdict}"\\} (\\d)$`, 'm').exec(metrics)?.[1];
}

t.test('explainer: default-deny in vault denies eso-to-vault; an allow policy added through the API flips it', async (t) => {
  const fake = await FakeApiServer.start({ token: 'explainer-token' });
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-explainer-'));
  const stop = new AbortController();
  const stderr = new PassThrough();
  let log = '';
  stderr.on('data', (c: Buffer) => { log += c.toString(); });
  let running: Promise<number> | undefined;
  t.teardown(async () => {
    stop.abort();
    await running?.catch(() => undefined);
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  fake.apply(namespace('vault'));
  fake.apply(namespace('external-secrets'));
  fake.apply(pod('external-secrets', 'eso-0', ESO_LABELS, '10.0.2.4'));
  fake.apply(pod('vault', 'vault-0', { app: 'vault' }, '10.0.1.5', [8200]));
  fake.apply(pod('vault', 'vault-1', { app: 'vault' }, '10.0.1.6', [8200]));
  fake.apply(service('vault', 'vault', { app: 'vault' }, 8200));
  fake.apply(endpointSlice('vault', 'vault', 8200, [{ ip: '10.0.1.5', ready: true }, { ip: '10.0.1.6', ready: false }]));
  fake.apply(defaultDenyIngress('vault'));
  // Hold back one kind's initial list to see /-/ready wait for it.
  fake.fail = (r) => (r.path.endsWith('/networkpolicies') ? 503 : undefined);

  const catalogFile = join(dir, 'catalog.yaml');
  const kubeconfigFile = join(dir, 'kubeconfig');
  await writeFile(catalogFile, CATALOG);
  await writeFile(kubeconfigFile, fake.kubeConfigYaml());
  const io: CommandIO = {
    stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: {}, cwd: dir, stopSignal: stop.signal,
  };
  running = runExplainer(
    { catalog: ['catalog.yaml'], listen: '127.0.0.1:0', kubeconfig: kubeconfigFile, backoff: { initialMs: 20, maxMs: 200 }, watchTimeoutSeconds: 60 },
    io, () => new PolicyExplainer(),
  );
  const base = await until('the listening line', async () => /"url":"(http:\/\/127\.0\.0\.1:\d+\/)"/.exec(log)?.[1]);

  t.equal((await get(`${base}-/healthy`)).status, 200);
  const notReady = await until('NetworkPolicy list attempts', async () =>
    fake.requests.some((r) => r.path.endsWith('/networkpolicies')) ? get(`${base}-/ready`) : undefined);
  t.equal(notReady.status, 503, 'not ready before every informer listed');
  t.notMatch((await get(`${base}metrics`)).body, /pathprobe_policy_verdict\{/, 'no verdict before sync');

  fake.fail = undefined;
  await until('ready', async () => ((await get(`${base}-/ready`)).status === 200 ? true : undefined));
  let metrics = (await get(`${base}metrics`)).body;
  t.equal(verdictLine(metrics, 'eso-to-vault', 'denied_ingress'), '1');
  t.equal(verdictLine(metrics, 'eso-to-vault', 'allowed'), '0');
  t.match(metrics, /^pathprobe_path_ready_endpoints\{path="eso-to-vault"\} 1$/m, 'one of two endpoints is ready');
  t.notMatch(metrics, /pathprobe_path_ready_endpoints\{path="eso-dns"\}/, 'absent for a non-Service target');

  const explain = JSON.parse((await get(`${base}api/v1/explain`)).body) as {
    synced: boolean; connected: boolean; paths: Array<{ path: string; verdict: string; matches: boolean; ingress: { isolated: boolean }; suggestion: string | null }>;
  };
  t.equal(explain.synced, true);
  const eso = explain.paths.find((p) => p.path === 'eso-to-vault');
  t.match(eso, { verdict: 'denied_ingress', matches: false, ingress: { isolated: true } });
  t.match(eso?.suggestion, /kind: NetworkPolicy/, 'the engine suggests an allow policy');
  const paths = JSON.parse((await get(`${base}api/v1/paths/eso-to-vault`)).body) as { policy: { verdict: string } | null };
  t.equal(paths.policy?.verdict, 'denied_ingress', 'the status API carries the policy column');

  // An allow policy arrives through the watch: only the change is applied, the metric flips.
  const started = performance.now();
  fake.apply(allowEsoToVault);
  await until('allowed', async () => verdictLine((await get(`${base}metrics`)).body, 'eso-to-vault', 'allowed') === '1' ? true : undefined, 3000);
  const flipMs = performance.now() - started;
  t.ok(flipMs < 3000, `policy change to verdict metric in ${flipMs.toFixed(0)} ms`);
  t.comment(`policy ADDED → pathprobe_policy_verdict flipped in ${flipMs.toFixed(1)} ms`);

  // A second endpoint turns ready: the ready-endpoints gauge follows the EndpointSlice.
  fake.apply(endpointSlice('vault', 'vault', 8200, [{ ip: '10.0.1.5', ready: true }, { ip: '10.0.1.6', ready: true }]));
  await until('2 ready endpoints', async () => /pathprobe_path_ready_endpoints\{path="eso-to-vault"\} 2/.test((await get(`${base}metrics`)).body) ? true : undefined);

  // API down: the last verdicts stay, metrics are unchanged, readiness holds.
  metrics = (await get(`${base}metrics`)).body;
  const series = (m: string) => m.split('\n').filter((l) => l.startsWith('pathprobe_')).join('\n');
  await fake.down();
  await until('disconnected', async () => (JSON.parse((await get(`${base}api/v1/explain`)).body) as { connected: boolean }).connected === false ? true : undefined);
  t.equal(series((await get(`${base}metrics`)).body), series(metrics), 'metrics unchanged while the API is unreachable');
  t.equal((await get(`${base}-/ready`)).status, 200, 'still ready: serving the last known verdicts');

  // Changed while down; on recovery the watch resumes and the verdict follows.
  fake.delete('NetworkPolicy', 'allow-eso-to-vault', 'vault');
  await fake.up();
  await until('denied again', async () => verdictLine((await get(`${base}metrics`)).body, 'eso-to-vault', 'denied_ingress') === '1' ? true : undefined, 5000);
  t.ok(fake.requests.every((r) => r.method === 'GET'), 'the explainer never writes');

  // Catalog reload when the file changes (no signal): a new path appears, a removed one loses its series.
  await writeFile(catalogFile, CATALOG.replace(/  - name: eso-dns[\s\S]*$/, `  - name: eso-to-vault-ui
    from: eso
    to: http://vault.vault.svc.cluster.local:8200/ui
    check: http
`));
  metrics = await until('reloaded', async () => {
    const m = (await get(`${base}metrics`)).body;
    return /path="eso-to-vault-ui"/.test(m) ? m : undefined;
  });
  t.equal(verdictLine(metrics, 'eso-to-vault-ui', 'denied_ingress'), '1');
  t.notMatch(metrics, /path="eso-dns"/);

  stop.abort();
  t.equal(await running, 0);
});

// End to end with the real programs: two pathprobe agent replicas probe loopback targets,
// Debian's Prometheus scrapes them and evaluates the shipped rules (for: scaled from minutes to
// seconds), Alertmanager notifies a webhook run here. A path is healthy, then broken (its port
// closed: refused), then healed; the firing and the resolved notifications are asserted and the
// time from break to notification is measured. While the path is broken, every query of the
// committed dashboard runs against the same Prometheus.
import t from 'tap';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { runbookAnchor } from '../../src/alerts/links.js';
import { RULES_FILE, renderRulesFile } from '../../src/alerts/render.js';
import { ruleGroups, scaleFor } from '../../src/alerts/rules.js';
import { RESULT_CLASSES } from '../../src/classify/result-class.js';
import { startDnsResponder } from '../../src/demo/dns-responder.js';
import { needPrograms } from '../helpers/need.js';
import { startStalledListener } from '../helpers/stalled-listener.js';
import { until } from '../helpers/until.js';
import { startAgent } from './helpers/agent-replicas.js';
import { checkDashboard } from './helpers/dashboard-check.js';
import { ALERTMANAGER, PROMETHEUS, instant, promApi, startStack, type Stack } from './helpers/prometheus-stack.js';
import { startSwitchableListener } from './helpers/switchable-listener.js';
import { startWebhookReceiver, type Notification } from './helpers/webhook-receiver.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The shipped for: durations × 1/20: 1m → 3s, 2m → 6s, 3m → 9s, 5m → 15s. */
const FOR_SCALE = 1 / 20;
const BROKEN = 'shop-to-db';
const PATHS = ['shop-to-db', 'shop-to-web', 'shop-dns', 'guest-to-web-blocked'];

type RuleFile = { groups: { name: string; rules: Record<string, unknown>[] }[] };
const withoutFor = (f: RuleFile) => f.groups.map((g) => ({ ...g, rules: g.rules.map(({ for: _for, ...rest }) => rest) }));

t.test('rules scaled for the test equal the shipped ones except for: (one generator, forScale)', async (t) => {
  const shipped = parse(await readFile(join(ROOT, RULES_FILE), 'utf8')) as RuleFile;
  const scaled = parse(renderRulesFile(ruleGroups({ forScale: FOR_SCALE }))) as RuleFile;
  t.same(withoutFor(scaled), withoutFor(shipped), 'expressions, labels and annotations identical');
  const fors = (f: RuleFile) => f.groups.flatMap((g) => g.rules.map((r) => String(r.for)));
  t.same(fors(scaled), fors(shipped).map((d) => scaleFor(d, FOR_SCALE)), 'every for: scaled, none dropped');
  t.equal(scaleFor('2m', FOR_SCALE), '6s');
});

t.test('Prometheus + Alertmanager + agents: healthy, broken (refused), healed', async (t) => {
  if (!needPrograms(t, [PROMETHEUS, ALERTMANAGER], 'apt-get install prometheus prometheus-alertmanager')) return;
  const began = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-e2e-alerting-'));
  const cleanups: (() => Promise<unknown>)[] = [];
  t.teardown(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  // Targets: db (closed and reopened), web (always 200), DNS, a stalled port for the blocked path.
  const db = await startSwitchableListener();
  cleanups.push(() => db.close());
  const web = createHttpServer((_req, res) => res.writeHead(200).end('ok'));
  await new Promise<void>((resolve) => web.listen({ host: '127.0.0.1', port: 0 }, resolve));
  cleanups.push(() => new Promise((resolve) => { web.closeAllConnections(); web.close(resolve); }));
  const webPort = (web.address() as { port: number }).port;
  const dns = await startDnsResponder('127.0.0.1', 0, new Map([['api.e2e-api.svc.cluster.local', '127.0.0.1']]));
  cleanups.push(() => dns.close());
  const stalled = await startStalledListener(180_000);
  cleanups.push(() => stalled.close());
  const hook = await startWebhookReceiver();
  cleanups.push(() => hook.close());

  const catalog = join(dir, 'catalog.yaml');
  await writeFile(catalog, `apiVersion: pathprobe/v1
kind: PathCatalog
defaults: {interval: 1s, timeout: 500ms, owner: e2e-team}
sources:
  shop: {namespace: e2e-shop, labels: {app.kubernetes.io/name: shop}}
paths:
  - {name: shop-to-db, from: shop, to: "127.0.0.1:${db.port}", check: tcp, severity: warning}
  - {name: shop-to-web, from: shop, to: "http://127.0.0.1:${webPort}/healthz", check: http}
  - {name: shop-dns, from: shop, to: api.e2e-api.svc.cluster.local, check: dns, dns: {server: "127.0.0.1:${dns.port}"}}
  - name: guest-to-web-blocked
    from: {namespace: e2e-guest}
    to: "127.0.0.1:${stalled.port}"
    check: tcp
    expect: blocked
    control: shop-to-web
    interval: 2s
    timeout: 1s
`);
  // Two replicas of the same agent: the rules must still raise one alert per broken path.
  const agents = [];
  for (const name of ['agent-a', 'agent-b']) {
    const agent = await startAgent(name, catalog);
    cleanups.push(() => agent.service.stop());
    agents.push(agent);
  }
  let stack: Stack | undefined;
  try {
    stack = await startStack({
      dir, rules: renderRulesFile(ruleGroups({ forScale: FOR_SCALE })), agents: agents.map((a) => a.address),
      job: 'pathprobe-agent', targetLabels: { cluster: 'e2e' }, webhookUrl: hook.url,
    });
  } catch (e) {
    t.fail(String(e));
    return;
  }
  const { prometheusUrl: prom } = stack;
  cleanups.push(() => stack.stop());
  const startSec = Date.now() / 1000;
  const diagnostics = () => ({
    notifications: hook.received.map((r) => r.body), logs: stack.services.map((s) => `${s.name}:\n${s.output().slice(-3000)}`),
  });
  t.comment(`stack ready after ${Math.round(performance.now() - began)} ms`);

  // Healthy: every path from both replicas is up in Prometheus.
  await until('every path up from both replicas', async () =>
    (await instant(prom, 'count(pathprobe_path_up == 1)'))[0]?.value?.[1] === String(PATHS.length * 2), 20_000, 250);
  await sleep(3000); // a few more scrapes, so rate() and the range panels have data
  t.same(hook.received.map((r) => r.body.alerts.map((a) => a.labels.alertname)), [], 'no notification while healthy');

  // Break: close the port; connects are refused.
  const brokeAt = performance.now();
  await db.close();
  const isFiring = (n: Notification) => n.status === 'firing' && n.alerts.some((a) => a.labels.path === BROKEN);
  const firing = await hook.waitFor('the firing notification', isFiring, 45_000).catch((e: Error) => {
    t.fail(e.message, diagnostics());
    return undefined;
  });
  if (!firing) return;
  const breakToFiring = firing.at - brokeAt;
  t.comment(`break → firing notification: ${(breakToFiring / 1000).toFixed(1)} s (rule for: ${scaleFor('2m', FOR_SCALE)})`);

  t.equal(firing.body.alerts.length, 1, 'one alert for the path, not one per agent replica');
  const alert = firing.body.alerts[0];
  t.match(alert?.labels, {
    alertname: 'PathProbeRefused', path: BROKEN, result: 'refused', severity: 'warning', cluster: 'e2e',
    source: 'shop', from_namespace: 'e2e-shop', target: `127.0.0.1:${db.port}`, check: 'tcp', expect: 'reachable', owner: 'e2e-team',
  }, 'labels: alertname, path, result, the path\'s severity, catalog labels');
  t.notOk(alert?.labels.instance, 'replicas aggregated away (no instance label)');
  t.equal(alert?.annotations.summary, `Path ${BROKEN} is refused: nothing accepts connections at 127.0.0.1:${db.port}`, 'summary rendered');
  const description = alert?.annotations.description ?? '';
  t.match(description, `Path ${BROKEN} (tcp) from shop (namespace e2e-shop) to 127.0.0.1:${db.port} must be reachable`, 'description names the path');
  t.match(description, 'kubectl get endpointslices -n <destination namespace> -l kubernetes.io/service-name=<service>', 'says what to check first');
  t.notMatch(description, /ready endpoint\(s\)/, 'no endpoint count without the explainer (value -1)');
  t.notMatch(JSON.stringify(alert?.annotations), /\{\{|\$labels|<no value>/, 'templates fully rendered');
  t.equal(alert?.annotations.runbook_url, runbookAnchor('PathProbeRefused'), 'runbook_url: the project runbook section');

  // While broken: the dashboard's queries against the same Prometheus.
  await t.test('every dashboard query runs and returns data (path broken)', async (t) => {
    const results = await checkDashboard(t, ROOT, prom, startSec, {
      cluster: ['e2e'], from_namespace: ['e2e-shop', 'e2e-guest'], to_namespace: ['e2e-api'], path: PATHS,
    });
    const failures = results.get('Current failures A') ?? [];
    t.same(failures.map((s) => [s.metric.path, s.metric.result, s.metric.runbook]), [[BROKEN, 'refused', runbookAnchor('PathProbeRefused')]],
      'current failures: the broken path, its class and runbook link');
    const matrix = results.get('Required paths: source × destination namespace A') ?? [];
    const cell = (to: string) => matrix.find((s) => s.metric.from_namespace === 'e2e-shop' && s.metric.to_namespace === to)?.value?.[1];
    t.equal(cell('(outside)'), String(RESULT_CLASSES.indexOf('refused')), 'matrix: worst class e2e-shop → outside is refused');
    t.equal(cell('e2e-api'), String(RESULT_CLASSES.indexOf('ok')), 'matrix: e2e-shop → e2e-api (DNS) is ok');
    const isolation = (ref: string) => results.get(`Isolation checks (expect: blocked) and their controls ${ref}`)
      ?.find((s) => s.metric.path === 'guest-to-web-blocked')?.value?.[1];
    t.equal(isolation('A'), '1', 'isolation: the blocked path times out');
    t.equal(isolation('B'), '0', 'isolation: isolated (its control is up)');
    t.equal(isolation('C'), '1', 'isolation: control up');
  });

  // Heal: listen again on the same port.
  const healedAt = performance.now();
  await db.reopen();
  const resolved = await hook.waitFor('the resolved notification',
    (n) => n.status === 'resolved' && n.alerts.some((a) => a.labels.path === BROKEN && a.status === 'resolved'), 30_000)
    .catch((e: Error) => {
      t.fail(e.message, diagnostics());
      return undefined;
    });
  if (!resolved) return;
  t.comment(`heal → resolved notification: ${((resolved.at - healedAt) / 1000).toFixed(1)} s`);
  t.match(resolved.body.alerts[0], {
    status: 'resolved', labels: { alertname: 'PathProbeRefused', path: BROKEN, result: 'refused', severity: 'warning' },
    annotations: { runbook_url: runbookAnchor('PathProbeRefused') },
  }, 'the resolved notification carries the same alert');
  t.same(new Set(hook.received.flatMap((r) => r.body.alerts.map((a) => `${a.labels.alertname} ${a.labels.path}`))),
    new Set([`PathProbeRefused ${BROKEN}`]), 'no other alert fired (healthy paths, the isolated blocked path, the agents)');

  // Every shipped rule was loaded and evaluates without error against real agent data.
  const rules = await promApi<{ groups: { rules: { name: string; health: string; lastError?: string }[] }[] }>(prom, '/api/v1/rules', {});
  const loaded = rules.ok ? rules.data.groups.flatMap((g) => g.rules) : [];
  t.equal(loaded.length, ruleGroups().flatMap((g) => g.rules).length, 'all shipped rules loaded');
  for (const r of loaded) t.equal(r.health, 'ok', `${r.name} evaluates cleanly ${r.lastError ?? ''}`);
  t.comment(`whole scenario: ${((performance.now() - began) / 1000).toFixed(1)} s`);
});

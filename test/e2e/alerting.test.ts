// End to end with the real programs: two pathprobe agent replicas probe loopback targets,
// Debian's Prometheus scrapes them and evaluates the shipped rules (for: and holds scaled from
// minutes to seconds), Alertmanager notifies a webhook run here. Two paths are healthy, then
// broken (one port closed: refused; one port stalled so SYNs are dropped: timeout, what a
// NetworkPolicy drop looks like), then healed; the firing and the resolved notifications are
// asserted and the time from break to notification is measured. While the path is broken,
// every query of the committed dashboard runs against the same Prometheus.
import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { runbookAnchor } from '../../src/alerts/links.js';
import { renderRulesFile } from '../../src/alerts/render.js';
import { ruleGroups, scaleFor } from '../../src/alerts/rules.js';
import { RESULT_CLASSES } from '../../src/classify/result-class.js';
import { startDnsResponder } from '../../src/demo/dns-responder.js';
import { needPrograms } from '../helpers/need.js';
import { startStalledListener } from '../helpers/stalled-listener.js';
import { until } from '../helpers/until.js';
import { startAgentProcess } from '../reliability/helpers/agent-process.js';
import { checkDashboard, checkDashboardFiltered } from '../helpers/e2e/dashboard-check.js';
import { ALERTMANAGER, PROMETHEUS, instant, promApi, startStack, type Stack } from '../helpers/e2e/prometheus-stack.js';
import { startSwitchableListener } from '../helpers/e2e/switchable-listener.js';
import { startWebhookReceiver, type Notification } from '../helpers/e2e/webhook-receiver.js';
import { assertBlockedAlert, assertRefusedAlert } from '../helpers/e2e/expected-alerts.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The shipped for: durations and path alert holds × 1/20: 1m → 3s, 2m → 6s, 3m → 9s, 5m → 15s. */
const FOR_SCALE = 1 / 20;
const REFUSED = 'shop-to-db';
const DROPPED = 'shop-to-api';
const API_RUNBOOK = 'https://runbooks.example.com/shop-api';
const PATHS = [REFUSED, DROPPED, 'shop-to-web', 'shop-dns', 'guest-to-web-blocked'];

t.test('rules scaled for the test equal the shipped ones except for: and the holds (one generator, forScale)', async (t) => {
  const shipped = ruleGroups().flatMap((g) => g.rules);
  const scaled = ruleGroups({ forScale: FOR_SCALE }).flatMap((g) => g.rules);
  t.same(scaled.map((r) => r.alert), shipped.map((r) => r.alert), 'the same rules, in order');
  shipped.forEach((r, i) => {
    const s = scaled[i]!;
    t.same(s.annotations, r.annotations, `${r.alert}: annotations`);
    t.same(s.labels, r.labels, `${r.alert}: labels`);
    t.equal(s.for, r.for === undefined ? undefined : scaleFor(r.for, FOR_SCALE), `${r.alert}: for`);
    t.equal(s.hold, r.hold === undefined ? undefined : scaleFor(r.hold, FOR_SCALE), `${r.alert}: hold`);
    // The expression differs only where it holds: the window, its offset, and the slow-path exemption's seconds.
    const expected = r.hold === undefined ? r.expr : r.expr
      .replaceAll(`[${r.hold}]`, `[${s.hold}]`)
      .replaceAll(`offset ${r.hold}`, `offset ${s.hold}`)
      .replace(/ > \d+\n/, () => ` > ${Number(s.hold!.slice(0, -1))}\n`);
    t.equal(s.expr, expected, `${r.alert}: expression`);
  });
  t.equal(scaleFor('2m', FOR_SCALE), '6s');
  t.equal(scaleFor('1m', 1 / 120), '1s', 'never below 1s');
  t.same(ruleGroups({ forScale: 1 }), ruleGroups(), 'forScale 1 is the shipped rules');
  t.throws(() => scaleFor('2m', 0), RangeError, 'a zero scale is refused');
  t.throws(() => scaleFor('soon', 0.5), RangeError, 'a bad duration is refused');
});

t.test('Prometheus + Alertmanager + agents: healthy, broken (refused, timeout), healed', async (t) => {
  if (!needPrograms(t, [PROMETHEUS, ALERTMANAGER], 'apt-get install prometheus prometheus-alertmanager')) return;
  const began = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-e2e-alerting-'));
  const cleanups: (() => Promise<unknown>)[] = [];
  t.teardown(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  // Targets: db (closed, reopened), api (stalled, reopened), web (always 200), DNS, a stalled
  // port for the blocked path.
  const db = await startSwitchableListener();
  cleanups.push(() => db.close());
  const api = await startSwitchableListener();
  cleanups.push(() => api.close());
  const web = createHttpServer((_req, res) => res.writeHead(200).end('ok'));
  await new Promise<void>((resolve) => web.listen({ host: '127.0.0.1', port: 0 }, resolve));
  cleanups.push(() => new Promise((resolve) => { web.closeAllConnections(); web.close(resolve); }));
  const webPort = (web.address() as { port: number }).port;
  const dns = await startDnsResponder('127.0.0.1', 0, new Map([['api.e2e-api.svc.cluster.local', '127.0.0.1']]));
  cleanups.push(() => dns.close());
  const stalled = await startStalledListener();
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
  - {name: ${REFUSED}, from: shop, to: "127.0.0.1:${db.port}", check: tcp, severity: warning}
  - {name: ${DROPPED}, from: shop, to: "127.0.0.1:${api.port}", check: tcp, runbook: "${API_RUNBOOK}"}
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
  const agents = await Promise.all(['agent-a', 'agent-b'].map(async (name) => {
    const agent = await startAgentProcess(t, { catalogPaths: [catalog] });
    return { name, agent, address: new URL(agent.url).host };
  }));
  const agentsAt = performance.now();
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
    notifications: hook.received.map((r) => r.body),
    logs: [
      ...stack.services.map((s) => `${s.name}:\n${s.output().slice(-3000)}`),
      ...agents.map((a) => `${a.name}:\n${(a.agent.stderr() + a.agent.stdout()).slice(-3000)}`),
    ],
  });
  t.comment(`agents up after ${Math.round(agentsAt - began)} ms, Prometheus and Alertmanager ready after ${Math.round(performance.now() - began)} ms`);

  // Healthy: every path from both replicas is up in Prometheus.
  const healthy = await until('every path up from both replicas', async () =>
    (await instant(prom, 'count(pathprobe_path_up == 1)'))[0]?.value?.[1] === String(PATHS.length * 2), 20_000, 250)
    .catch((e: Error) => t.fail(e.message, diagnostics()));
  if (!healthy) return;
  await sleep(3000); // a few more scrapes, so rate() and the range panels have data
  t.same(hook.received.map((r) => r.body.alerts.map((a) => a.labels.alertname)), [], 'no notification while healthy');

  // Break both: db's port closed (refused); api's port taken by a listener that never accepts,
  // so the kernel drops the SYNs (timeout).
  const brokeAt = performance.now();
  await db.close();
  await api.close();
  const apiStalled = await startStalledListener({ port: api.port });
  cleanups.push(() => apiStalled.close());
  const notified = (what: string, status: 'firing' | 'resolved', path: string, timeoutMs: number) =>
    hook.waitFor(`the ${status} notification for ${path}`,
      (n) => n.status === status && n.alerts.some((a) => a.labels.path === path && a.status === status), timeoutMs)
      .catch((e: Error) => {
        t.fail(`${what}: ${e.message}`, diagnostics());
        return undefined;
      });
  const [refused, dropped] = await Promise.all([
    notified('closed port', 'firing', REFUSED, 45_000), notified('dropped SYNs', 'firing', DROPPED, 45_000),
  ]);
  if (!refused || !dropped) return;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  t.comment(`break → firing notification: refused ${seconds(refused.at - brokeAt)}, timeout ${seconds(dropped.at - brokeAt)} ` +
    `(path alerts hold ${scaleFor('2m', FOR_SCALE)}, probe interval 1s, scrape and evaluation 1s, group_wait 1s)`);
  const forMs = Number(scaleFor('2m', FOR_SCALE).slice(0, -1)) * 1000;
  t.ok(refused.at - brokeAt >= forMs && dropped.at - brokeAt >= forMs, 'no notification before the hold has elapsed');
  assertRefusedAlert(t, refused.body, REFUSED, `127.0.0.1:${db.port}`);
  assertBlockedAlert(t, dropped.body, DROPPED, `127.0.0.1:${api.port}`, API_RUNBOOK);

  // While broken: the dashboard's queries against the same Prometheus.
  await t.test('every dashboard query runs and returns data (paths broken)', async (t) => {
    const results = await checkDashboard(t, ROOT, prom, startSec, {
      cluster: ['e2e'], from_namespace: ['e2e-shop', 'e2e-guest'], to_namespace: ['e2e-api'], path: PATHS,
    });
    const failures = (results.get('Current failures A') ?? []).map((s) => [s.metric.path, s.metric.result, s.metric.runbook]);
    t.same(failures.sort(), [[DROPPED, 'timeout', API_RUNBOOK], [REFUSED, 'refused', runbookAnchor('PathProbeRefused')]],
      'current failures: the broken paths, their class and runbook link (the path\'s own when declared)');
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
  await t.test('dashboard queries filtered to one cluster, source namespace and path', async (t) => {
    await checkDashboardFiltered(t, ROOT, prom, startSec, { cluster: 'e2e', from_namespace: 'e2e-shop' }, REFUSED);
  });

  // Heal: listen normally again on both ports.
  const healedAt = performance.now();
  await db.reopen();
  await apiStalled.close();
  await api.reopen();
  const [refusedOver, droppedOver] = await Promise.all([
    notified('reopened port', 'resolved', REFUSED, 30_000), notified('accepting again', 'resolved', DROPPED, 30_000),
  ]);
  if (!refusedOver || !droppedOver) return;
  t.comment(`heal → resolved notification: refused ${seconds(refusedOver.at - healedAt)}, timeout ${seconds(droppedOver.at - healedAt)}`);
  const resolvedAlert = (n: Notification, path: string) => n.alerts.find((a) => a.labels.path === path);
  t.match(resolvedAlert(refusedOver.body, REFUSED), {
    status: 'resolved', labels: { alertname: 'PathProbeRefused', result: 'refused', severity: 'warning' },
    annotations: { runbook_url: runbookAnchor('PathProbeRefused') },
  }, 'resolved: the same refused alert');
  t.match(resolvedAlert(droppedOver.body, DROPPED), {
    status: 'resolved', labels: { alertname: 'PathProbeBlocked', result: 'timeout', severity: 'critical' },
    annotations: { runbook_url: API_RUNBOOK },
  }, 'resolved: the same blocked alert');
  t.same(new Set(hook.received.flatMap((r) => r.body.alerts.map((a) => `${a.labels.alertname} ${a.labels.path}`))),
    new Set([`PathProbeRefused ${REFUSED}`, `PathProbeBlocked ${DROPPED}`]),
    'no other alert fired (healthy paths, the isolated blocked path, the agents)');

  // Every shipped rule was loaded and evaluates without error against real agent data.
  const rules = await promApi<{ groups: { rules: { name: string; health: string; lastError?: string }[] }[] }>(prom, '/api/v1/rules', {});
  const loaded = rules.ok ? rules.data.groups.flatMap((g) => g.rules) : [];
  t.equal(loaded.length, ruleGroups().flatMap((g) => g.rules).length, 'all shipped rules loaded');
  for (const r of loaded) t.equal(r.health, 'ok', `${r.name} evaluates cleanly ${r.lastError ?? ''}`);
  t.comment(`whole scenario: ${((performance.now() - began) / 1000).toFixed(1)} s`);
});

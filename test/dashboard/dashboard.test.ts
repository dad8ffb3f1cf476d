import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { allowedMetricNames, metricNamesIn } from '../../src/alerts/exported-metrics.js';
import { runbookAnchor } from '../../src/alerts/links.js';
import { buildDashboard } from '../../src/dashboard/dashboard.js';
import type { Panel, Target } from '../../src/dashboard/model.js';
import {
  DASHBOARD_CONFIGMAP_FILE, DASHBOARD_FILE, renderDashboardConfigMap, renderDashboardJson,
} from '../../src/dashboard/render.js';
import { needPromtool, promtool } from '../helpers/promtool.js';

const dashboard = buildDashboard();
const panels: Panel[] = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const targets: { panel: Panel; target: Target }[] = panels.flatMap((panel) =>
  (panel.targets ?? []).map((target) => ({ panel, target })));
const BUILTINS = new Set(['__rate_interval', '__interval', '__range', '__value', '__data', '__series', '__field']);
// Values a variable can take, for a syntax check: regex vars become `.*`, durations become 5m.
const SUBSTITUTE: Record<string, string> = { __rate_interval: '5m', __interval: '1m', __range: '1h' };

function substitute(expr: string): string {
  return expr.replace(/\$\{?([A-Za-z_]\w*)(?::\w+)?\}?/g, (_m, name: string) => SUBSTITUTE[name] ?? '.*');
}

/** Every `$var`, `${var}` or `${var:format}` referenced in a string. */
function referencedVariables(text: string): string[] {
  return [...text.matchAll(/\$\{?([A-Za-z_][\w]*)/g)].map((m) => m[1] ?? '');
}

t.test('the committed dashboard and ConfigMap are the generated ones (`npm run generate:dashboard`)', async (t) => {
  t.equal(readFileSync(DASHBOARD_FILE, 'utf8'), renderDashboardJson(dashboard), DASHBOARD_FILE);
  t.equal(readFileSync(DASHBOARD_CONFIGMAP_FILE, 'utf8'), renderDashboardConfigMap(dashboard), DASHBOARD_CONFIGMAP_FILE);
});

t.test('the ConfigMap carries the sidecar label and the same dashboard', async (t) => {
  const cm = parse(readFileSync(DASHBOARD_CONFIGMAP_FILE, 'utf8')) as {
    kind: string; metadata: { labels: Record<string, string> }; data: Record<string, string>;
  };
  t.equal(cm.kind, 'ConfigMap');
  t.equal(cm.metadata.labels.grafana_dashboard, '1');
  t.same(JSON.parse(cm.data['pathprobe.json'] ?? '{}'), JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')));
});

t.test('variables: datasource, cluster, namespaces, path; all referenced variables exist', async (t) => {
  const names = dashboard.templating.list.map((v) => v.name);
  t.same(names, ['datasource', 'cluster', 'from_namespace', 'to_namespace', 'path']);
  const defined = new Set(names);
  const json = JSON.stringify(dashboard);
  for (const name of new Set(referencedVariables(json))) {
    t.ok(defined.has(name) || BUILTINS.has(name), `$${name} is defined`);
  }
  for (const v of dashboard.templating.list.filter((x) => x.type === 'query')) {
    t.equal(v.datasource?.uid, '${datasource}', `${v.name} queries the datasource variable`);
    for (const m of metricNamesIn(v.query.replace(/^label_values\((.*),\s*\w+\)$/, '$1'))) {
      t.ok(allowedMetricNames().has(m), `${v.name} uses ${m}`);
    }
  }
});

t.test('every panel and query uses the datasource variable', async (t) => {
  t.same(new Set(panels.map((p) => p.id)).size, panels.length, 'panel ids are unique');
  for (const p of panels.filter((x) => x.type !== 'row')) {
    t.equal(p.datasource?.uid, '${datasource}', `${p.title}: panel datasource`);
    t.ok((p.targets ?? []).length > 0, `${p.title}: has queries`);
  }
  for (const { panel, target } of targets) {
    t.equal(target.datasource.uid, '${datasource}', `${panel.title} ${target.refId}: query datasource`);
  }
});

t.test('the panels the brief asks for exist', async (t) => {
  const titles = panels.map((p) => p.title).join('\n');
  for (const re of [/source × destination/, /Current failures/, /Result class per path/, /Paths per result class/,
    /Latency per phase/, /Isolation checks/, /Agent health/, /Scheduler lag/, /Skipped probes/, /Catalog reload/,
    /Probes in flight/]) t.match(titles, re);
  const failures = panels.find((p) => p.title === 'Current failures');
  t.match(JSON.stringify(failures?.fieldConfig), /"url":"\$\{__value\.raw\}"/, 'failures link to the runbook');
});

t.test('every query selects only exported metrics', async (t) => {
  const allowed = allowedMetricNames();
  for (const { panel, target } of targets) {
    for (const name of metricNamesIn(target.expr)) t.ok(allowed.has(name), `${panel.title} ${target.refId}: ${name}`);
  }
});

t.test('promtool parses every query (as recording rules, variables substituted)', async (t) => {
  if (!needPromtool(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'pathprobe-dashboard-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const rules = targets.map(({ panel, target }) => ({
    record: `dashboard:panel_${panel.id}_${target.refId}:expr`,
    expr: substitute(target.expr),
  }));
  const file = join(dir, 'dashboard-queries.yaml');
  writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboard', rules }] }));
  const run = await promtool(['check', 'rules', file]);
  t.equal(run.code, 0, run.output);
  t.match(run.output, `SUCCESS: ${rules.length} rules found`);
  // A broken expression must fail the same check (the check can fail).
  writeFileSync(file, JSON.stringify({ groups: [{ name: 'x', rules: [{ record: 'x:y:z', expr: 'sum by (a (b)' }] }] }));
  t.not((await promtool(['check', 'rules', file])).code, 0, 'a broken expression is rejected');
});

t.test('the matrix and the isolation table compute the right values (promtool test rules)', async (t) => {
  if (!needPromtool(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'pathprobe-dashboard-eval-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const exprOf = (title: string, refId: string): string => {
    const found = targets.find(({ panel, target }) => panel.title.startsWith(title) && target.refId === refId);
    if (!found) throw new Error(`no query ${title} ${refId}`);
    return substitute(found.target.expr);
  };
  const info = (path: string, from: string, to: string, expect: string, control = '') =>
    ({ series: `pathprobe_path_info{path="${path}",source="${from}",from_namespace="${from}",to_namespace="${to}",target="x",check="tcp",expect="${expect}",control="${control}",severity="critical"}`, values: '1x5' });
  const result = (path: string, cls: string) => ({ series: `pathprobe_path_result{path="${path}",result="${cls}"}`, values: '1x5' });
  const failure = (path: string, from: string, to: string, expect: string, cls: string, alert: string) => ({
    labels: `{path="${path}", result="${cls}", source="${from}", from_namespace="${from}",${to === '' ? '' : ` to_namespace="${to}",`}` +
      ` target="x", check="tcp", expect="${expect}", severity="critical", runbook="${runbookAnchor(alert)}"}`,
    value: 1,
  });
  const up = (path: string, v: number) => ({ series: `pathprobe_path_up{path="${path}"}`, values: `${v}x5` });
  const test = {
    tests: [{
      interval: '1m',
      input_series: [
        info('p1', 'a', 'b', 'reachable'), result('p1', 'timeout'), { series: 'pathprobe_path_result{path="p1",result="ok"}', values: '0x5' }, up('p1', 0),
        info('p2', 'a', 'b', 'reachable'), result('p2', 'ok'), up('p2', 1),
        info('p3', 'a', '', 'reachable'), result('p3', 'dns_timeout'), up('p3', 0),
        info('b1', 'c', 'b', 'blocked', 'p2'), result('b1', 'timeout'), up('b1', 1),
        info('b2', 'c', 'b', 'blocked', 'p1'), result('b2', 'timeout'), up('b2', 1),
        info('b3', 'c', 'b', 'blocked'), result('b3', 'ok'), up('b3', 0),
        info('b4', 'c', 'b', 'blocked'), result('b4', 'dns_timeout'), up('b4', 0),
      ],
      promql_expr_test: [
        {
          expr: exprOf('Required paths', 'A'), eval_time: '2m',
          exp_samples: [
            { labels: '{from_namespace="a", to_namespace="b"}', value: 1 }, // worst of timeout (1) and ok (0)
            { labels: '{from_namespace="a", to_namespace="(outside)"}', value: 5 }, // dns_timeout
          ],
        },
        {
          expr: exprOf('Isolation checks', 'B'), eval_time: '2m',
          exp_samples: [
            { labels: '{path="b1"}', value: 0 }, // blocked, control up: isolated
            { labels: '{path="b2"}', value: 1 }, // blocked, control down: inconclusive
            { labels: '{path="b3"}', value: 2 }, // connected: breach
            { labels: '{path="b4"}', value: 1 }, // never sent a packet: inconclusive
          ],
        },
        {
          // The runbook column links the section of the alert each failure raises.
          expr: exprOf('Current failures', 'A'), eval_time: '2m',
          exp_samples: [
            failure('p1', 'a', 'b', 'reachable', 'timeout', 'PathProbeBlocked'),
            failure('p3', 'a', '', 'reachable', 'dns_timeout', 'PathProbeDNSFailure'),
            failure('b3', 'c', 'b', 'blocked', 'ok', 'PathProbeIsolationBreach'),
            failure('b4', 'c', 'b', 'blocked', 'dns_timeout', 'PathProbeInconclusive'), // not a breach
          ],
        },
        {
          expr: exprOf('Isolation checks', 'C'), eval_time: '2m',
          exp_samples: [{ labels: '{path="b1"}', value: 1 }, { labels: '{path="b2"}', value: 0 }],
        },
      ],
    }, {
      // Two agent replicas export the same paths: panels count paths, not replicas.
      interval: '1m',
      input_series: ['10.0.0.1:9477', '10.0.0.2:9477'].flatMap((instance) => [
        { ...info('r1', 'a', 'b', 'reachable'), series: info('r1', 'a', 'b', 'reachable').series.replace('{', `{instance="${instance}",`) },
        { series: `pathprobe_path_result{instance="${instance}",path="r1",result="timeout"}`, values: '1x5' },
        { series: `pathprobe_path_result{instance="${instance}",path="r1",result="ok"}`, values: '0x5' },
        { ...info('r2', 'a', 'b', 'reachable'), series: info('r2', 'a', 'b', 'reachable').series.replace('{', `{instance="${instance}",`) },
        { series: `pathprobe_path_result{instance="${instance}",path="r2",result="ok"}`, values: '1x5' },
      ]),
      promql_expr_test: [{
        expr: exprOf('Paths per result class', 'A'), eval_time: '2m',
        exp_samples: [{ labels: '{result="ok"}', value: 1 }, { labels: '{result="timeout"}', value: 1 }],
      }],
    }],
  };
  const file = join(dir, 'dashboard-test.yaml');
  writeFileSync(file, JSON.stringify(test));
  const run = await promtool(['test', 'rules', file]);
  t.equal(run.code, 0, run.output);
});

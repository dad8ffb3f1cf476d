import t from 'tap';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { allowedMetricNames, metricNamesIn } from '../../src/alerts/exported-metrics.js';
import { runbookAnchor } from '../../src/alerts/links.js';
import {
  PROMETHEUS_RULE_FILE, RULES_FILE, renderPrometheusRule, renderRulesFile,
} from '../../src/alerts/render.js';
import { ALERT_NAMES, ruleGroups } from '../../src/alerts/rules.js';
import { needPromtool, promtool } from '../helpers/promtool.js';

const FIXTURE_DIR = 'test/alerts';
const fixtures = readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.yaml')).sort();
const rules = ruleGroups().flatMap((g) => g.rules);

t.test('the committed rule files are the generated ones (run `npm run generate:alerts`)', async (t) => {
  t.equal(readFileSync(RULES_FILE, 'utf8'), renderRulesFile(ruleGroups()), RULES_FILE);
  t.equal(readFileSync(PROMETHEUS_RULE_FILE, 'utf8'), renderPrometheusRule(ruleGroups()), PROMETHEUS_RULE_FILE);
});

t.test('every contract alert exists with severity, summary, description and runbook', async (t) => {
  t.same([...new Set(rules.map((r) => r.alert))].sort(), [...ALERT_NAMES].sort());
  for (const r of rules) {
    const severityFromPath = /group_left \([^)]*\bseverity\b/.test(r.expr);
    t.ok(severityFromPath || r.labels?.severity, `${r.alert}: severity from the path or a fixed label`);
    t.ok(r.annotations.summary.length > 10, `${r.alert}: summary`);
    t.ok(r.annotations.description.length > 80, `${r.alert}: description`);
    t.ok(r.annotations.runbook_url.includes(runbookAnchor(r.alert)), `${r.alert}: runbook anchor`);
    // A path alert holds on a window in its expression (failingThroughout) instead of a for:.
    const wait = r.hold ?? r.for ?? '';
    t.ok(/^\d+m$/.test(wait) && wait !== '0m', `${r.alert}: waits ${wait}`);
    t.ok(r.hold === undefined || r.for === undefined, `${r.alert}: a hold or a for:, not both`);
    if (r.hold !== undefined) {
      t.ok(r.expr.includes(`[${r.hold}]`) && r.expr.includes(`offset ${r.hold}`), `${r.alert}: its expression holds ${r.hold}`);
    }
  }
});

t.test('rules select only metrics the agent and explainer export', async (t) => {
  const allowed = allowedMetricNames();
  for (const r of rules) {
    for (const name of metricNamesIn(r.expr)) t.ok(allowed.has(name), `${r.alert} uses ${name}`);
  }
});

t.test('every alert has a fixture where it fires and one where it stays quiet', async (t) => {
  const fired = new Set<string>();
  const quiet = new Set<string>();
  for (const f of fixtures) {
    const doc = parse(readFileSync(join(FIXTURE_DIR, f), 'utf8')) as {
      rule_files: string[];
      tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
    };
    t.same(doc.rule_files, [`../../${RULES_FILE}`], `${f} loads the generated rules file`);
    for (const test of doc.tests) {
      for (const a of test.alert_rule_test ?? []) (a.exp_alerts.length > 0 ? fired : quiet).add(a.alertname);
    }
  }
  for (const name of ALERT_NAMES) {
    t.ok(fired.has(name), `${name} fires in a fixture`);
    t.ok(quiet.has(name), `${name} stays quiet in a fixture`);
  }
});

t.test('promtool check rules accepts both generated files', async (t) => {
  if (!needPromtool(t)) return;
  const plain = await promtool(['check', 'rules', RULES_FILE]);
  t.equal(plain.code, 0, plain.output);
  t.match(plain.output, `SUCCESS: ${rules.length} rules found`);

  const dir = mkdtempSync(join(tmpdir(), 'pathprobe-rules-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const pr = parse(readFileSync(PROMETHEUS_RULE_FILE, 'utf8')) as {
    apiVersion: string; kind: string; spec: { groups: unknown[] };
  };
  t.equal(pr.apiVersion, 'monitoring.coreos.com/v1');
  t.equal(pr.kind, 'PrometheusRule');
  const specFile = join(dir, 'spec.yaml');
  writeFileSync(specFile, JSON.stringify({ groups: pr.spec.groups }));
  const spec = await promtool(['check', 'rules', specFile]);
  t.equal(spec.code, 0, spec.output);
  t.match(spec.output, `SUCCESS: ${rules.length} rules found`);
});

for (const f of fixtures) {
  t.test(`promtool test rules ${f}`, async (t) => {
    if (!needPromtool(t)) return;
    const run = await promtool(['test', 'rules', join(FIXTURE_DIR, f)]);
    t.equal(run.code, 0, run.output);
    t.match(run.output, 'SUCCESS');
  });
}

t.test('docs/runbook.md has a section for every alert (the anchor of its runbook_url)', async (t) => {
  const headings = [...readFileSync('docs/runbook.md', 'utf8').matchAll(/^## (\S+)\s*$/gm)].map((m) => m[1]);
  t.same(headings, [...ALERT_NAMES], 'one section per alert, in rule order');
});

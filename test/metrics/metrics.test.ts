import t from 'tap';
import { readFileSync } from 'node:fs';
import { AgentRegistry } from '../../src/metrics/agent-registry.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { PathSeries } from '../../src/metrics/path-series.js';
import { RESULT_CLASSES } from '../../src/classify/result-class.js';
import { makePath } from '../fixtures/path-spec.js';
import { needPromtool, promtoolCheckMetrics } from '../helpers/promtool.js';

/** `# TYPE` lines of pathprobe_ metrics in an exposition, as name → type. */
function types(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^# TYPE (pathprobe_\S+) (\S+)$/gm)) out[m[1]!] = m[2]!;
  return out;
}

t.test('exactly the contract metrics, with their types, on the injected registry only', async (t) => {
  const registry = new AgentRegistry();
  createMetrics(registry, { version: '1.2.3' });
  const text = await registry.metrics();
  t.same(types(text), {
    pathprobe_path_info: 'gauge',
    pathprobe_path_up: 'gauge',
    pathprobe_path_result: 'gauge',
    pathprobe_probes_total: 'counter',
    pathprobe_probe_phase_seconds: 'gauge',
    pathprobe_probe_duration_seconds: 'histogram',
    pathprobe_path_last_probe_timestamp_seconds: 'gauge',
    pathprobe_path_last_success_timestamp_seconds: 'gauge',
    pathprobe_path_interval_seconds: 'gauge',
    pathprobe_build_info: 'gauge',
    pathprobe_catalog_paths: 'gauge',
    pathprobe_catalog_last_reload_successful: 'gauge',
    pathprobe_catalog_last_reload_success_timestamp_seconds: 'gauge',
    pathprobe_scheduler_lag_seconds: 'histogram',
    pathprobe_probes_in_flight: 'gauge',
    pathprobe_probes_skipped_total: 'counter',
  });
  t.match(text, /^pathprobe_build_info\{version="1\.2\.3"\} 1$/m);
  t.match(text, /^pathprobe_probes_skipped_total\{reason="max_in_flight"\} 0$/m);
  t.match(text, /^pathprobe_probes_skipped_total\{reason="still_running"\} 0$/m);
  t.match(text, /^pathprobe_probes_skipped_total\{reason="missed"\} 0$/m);
  t.match(text, /^process_cpu_user_seconds_total /m, 'process default metrics');
  t.match(text, /^nodejs_heap_size_used_bytes /m, 'nodejs default metrics');
  const { register } = await import('prom-client');
  t.notMatch(await register.metrics(), /pathprobe_/, 'nothing on the global registry');
});

t.test('per-path series: info labels, zeroed counters, state set, phases, removal', async (t) => {
  const registry = new AgentRegistry();
  const metrics = createMetrics(registry, { version: 'test', defaultMetrics: false });
  const series = new PathSeries(metrics);
  const a = makePath('a-to-b');
  const blocked = makePath('iso', {
    expect: 'blocked', control: 'a-to-b', owner: 'team-sec', runbook: 'https://runbooks.example/iso', severity: 'warning',
  });
  series.applyCatalog([a, blocked]);
  let text = await registry.metrics();
  t.match(text, 'pathprobe_path_info{path="a-to-b",source="test",from_namespace="team-a",to_namespace="team-b",target="svc.team-b.svc.cluster.local:80",check="tcp",expect="reachable",control="",severity="critical",owner="",runbook_url=""} 1');
  t.match(text, 'pathprobe_path_info{path="iso",source="test",from_namespace="team-a",to_namespace="team-b",target="svc.team-b.svc.cluster.local:80",check="tcp",expect="blocked",control="a-to-b",severity="warning",owner="team-sec",runbook_url="https://runbooks.example/iso"} 1');
  for (const result of RESULT_CLASSES) t.match(text, `pathprobe_probes_total{path="a-to-b",result="${result}"} 0`);
  t.match(text, /^pathprobe_catalog_paths 2$/m);
  t.notMatch(text, /pathprobe_path_up\{/, 'no up series before the first result');

  for (const [i, result] of RESULT_CLASSES.entries()) {
    const phases = result === 'ok' ? { resolve: 0.001, connect: 0.002, total: 0.003 } : { total: 0.5 };
    series.recordResult(a, { result, phases, durationSeconds: phases.total, detail: 'x' }, result === 'ok', 1_700_000_000_000 + i * 1000);
    text = await registry.metrics();
    const set = [...text.matchAll(/^pathprobe_path_result\{path="a-to-b",result="(\w+)"\} (\d)$/gm)];
    t.equal(set.length, 12, `${result}: state set over all 12 classes`);
    t.same(set.filter((m) => m[2] === '1').map((m) => m[1]), [result], `${result}: exactly its class is 1`);
    t.match(text, `pathprobe_probes_total{path="a-to-b",result="${result}"} 1`);
    t.match(text, `pathprobe_path_up{path="a-to-b",from_namespace="team-a",to_namespace="team-b",check="tcp",expect="reachable",severity="critical"} ${result === 'ok' ? 1 : 0}`);
    t.match(text, `pathprobe_probe_duration_seconds_count{check="tcp",result="${result}"} 1`);
    t.match(text, `pathprobe_path_last_probe_timestamp_seconds{path="a-to-b"} ${1_700_000_000 + i}`);
  }
  t.match(text, 'pathprobe_path_last_success_timestamp_seconds{path="a-to-b"} 1700000000');
  t.match(text, `pathprobe_path_interval_seconds{path="a-to-b"} ${a.intervalMs / 1000}`, 'the declared interval, for PathProbeStale');
  t.notMatch(text, 'pathprobe_probe_phase_seconds{path="a-to-b",phase="connect"}', 'an unreached phase is not left over');
  t.match(text, 'pathprobe_probe_phase_seconds{path="a-to-b",phase="total"} 0.5');

  series.applyCatalog([{ ...blocked, severity: 'critical' }]);
  text = await registry.metrics();
  t.notMatch(text, /path="a-to-b"/, 'every series of a removed path is gone');
  t.match(text, /pathprobe_path_info\{path="iso",.*severity="critical"/);
  t.notMatch(text, /pathprobe_path_info\{path="iso",.*severity="warning"/, 'old info series replaced');
  t.match(text, /^pathprobe_catalog_paths 1$/m);
});

t.test('promtool check metrics accepts the full exposition', async (t) => {
  if (!needPromtool(t)) return;
  const registry = new AgentRegistry();
  const metrics = createMetrics(registry, { version: '0.1.0' });
  const series = new PathSeries(metrics);
  const paths = [makePath('p1'), makePath('p2', { check: 'http', expect: 'blocked', control: 'p1' })];
  series.applyCatalog(paths);
  for (const result of RESULT_CLASSES) {
    series.recordResult(paths[0]!, { result, phases: { connect: 0.01, total: 0.02 }, durationSeconds: 0.02, detail: '' }, result === 'ok', Date.now());
  }
  metrics.schedulerLagSeconds.observe(0.002);
  metrics.catalogLastReloadSuccessful.set(1);
  metrics.catalogLastReloadSuccessTimestampSeconds.set(Date.now() / 1000);
  const text = await registry.metrics();
  const { code, output } = await promtoolCheckMetrics(text);
  t.equal(output, '', 'promtool prints nothing');
  t.equal(code, 0);
});

t.test('docs/agent.md lists every metric the agent exports, and no other', async (t) => {
  const registry = new AgentRegistry();
  createMetrics(registry, { version: '0.1.0' });
  const exported = Object.keys(types(await registry.metrics())).sort();
  const doc = readFileSync('docs/agent.md', 'utf8');
  const section = doc.slice(doc.indexOf('\n## Metrics\n'), doc.indexOf('\n## ', doc.indexOf('\n## Metrics\n') + 1));
  const tableRows = section.split('\n').filter((l) => l.startsWith('| `pathprobe_'));
  const documented = tableRows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`(pathprobe_\w+)`/g)].map((m) => m[1]!)).sort();
  t.same(documented, exported);
});

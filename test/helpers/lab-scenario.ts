// Runs a lab scenario under tap: guards (root, programs, built dist), a sweep of dead runs'
// leftovers, start, the expectations of the start and of every step read from the agents'
// /api/v1/paths and /metrics, then teardown with a check that nothing of the run survives.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Test } from 'tap';
import { behavedAsDeclared } from '../../src/agent/judge.js';
import { LAB_DIST_FILES, startLab, type Lab } from '../../src/lab/lab.js';
import { LAB_PREFIX, stateDir } from '../../src/lab/names.js';
import type { Expectation, LabScenario } from '../../src/lab/scenario-types.js';
import { processGone } from '../../src/lab/owner.js';
import { findProgram, LAB_PROGRAMS } from '../../src/lab/programs.js';
import { agentPods } from '../../src/lab/scenarios.js';
import { labNetns, sweepLeftovers } from '../../src/lab/sweep.js';
import type { PathList, PathView } from '../../src/server/api-schema.js';
import { needPrograms, needRoot } from './need.js';
import { parseSamples, select } from './prom-text.js';

/** How long a scenario's paths get to reach their expected results. */
const SETTLE_MS = 15_000;

/** Guards shared by every lab test: false (skip, or fail under CI) when the lab cannot run. */
export function canRunLab(t: Test): boolean {
  if (!needRoot(t)) return false;
  const programs = LAB_PROGRAMS.map((name) => findProgram(name) ?? name);
  if (!needPrograms(t, programs, 'apt-get install iproute2 nftables dnsmasq-base')) return false;
  const missing = LAB_DIST_FILES.find((f) => !existsSync(f));
  if (missing) {
    t.fail(`${missing} missing: run \`npm run build\` (npm test does)`);
    return false;
  }
  return true;
}

/** Every path of the scenario's agents, by name. */
async function pathViews(lab: Lab): Promise<Map<string, PathView>> {
  const views = new Map<string, PathView>();
  for (const pod of agentPods(lab.scenario)) {
    const res = await lab.get(pod.name, '/api/v1/paths');
    if (res.status !== 200) throw new Error(`GET /api/v1/paths on ${pod.name}: ${res.status}`);
    for (const view of (JSON.parse(res.body) as PathList).paths) views.set(view.name, view);
  }
  return views;
}

function matches(view: PathView | undefined, want: Expectation): boolean {
  return view?.result === want.result && view.state === want.state;
}

/** Calls `read` every 200 ms until `ok` holds for what it returned or SETTLE_MS passed; returns the last value (the assertions then say what differs). */
async function poll<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const until = Date.now() + SETTLE_MS;
  let value = await read();
  while (Date.now() < until && !ok(value)) {
    await sleep(200);
    value = await read();
  }
  return value;
}

/** Polls the agents until every path shows its expectation (or SETTLE_MS passed); returns the last views. */
function settle(lab: Lab, expect: Record<string, Expectation>): Promise<Map<string, PathView>> {
  return poll(() => pathViews(lab), (views) => Object.entries(expect).every(([name, want]) => matches(views.get(name), want)));
}

/** Polls every agent's /metrics until each expected path's result sample is 1 (or SETTLE_MS passed); returns the last bodies. */
function settleMetrics(lab: Lab, expect: Record<string, Expectation>): Promise<Map<string, string>> {
  const readAll = async () => {
    const bodies = new Map<string, string>();
    for (const pod of agentPods(lab.scenario)) bodies.set(pod.name, (await lab.get(pod.name, '/metrics')).body);
    return bodies;
  };
  return poll(readAll, (bodies) => Object.entries(expect).every(([name, want]) => {
    const from = lab.scenario.paths.find((p) => p.name === name)?.from;
    return from !== undefined && sample(bodies.get(from) ?? '', 'pathprobe_path_result', { path: name, result: want.result }) === 1;
  }));
}

/** The value of the first sample of `metric` whose labels include every `labels` pair (exact label matches). */
export function sample(metrics: string, metric: string, labels: Record<string, string>): number | undefined {
  return select(parseSamples(metrics), metric, labels)[0]?.value;
}

/** Asserts every expectation on /api/v1/paths and /metrics of the path's agent. */
async function assertExpectations(t: Test, lab: Lab, expect: Record<string, Expectation>, when: string): Promise<void> {
  const views = await settle(lab, expect);
  // A scrape may share a render that began just before the result the API shows (the agent shares
  // one render among scrapes that arrive while it runs or soon after, src/server/coalesce.ts):
  // /metrics is polled until it agrees too.
  const metricsOf = await settleMetrics(lab, expect);
  t.same([...views.keys()].sort(), Object.keys(expect).sort(), `${when}: the agents run exactly the expected paths`);
  for (const [name, want] of Object.entries(expect)) {
    const view = views.get(name);
    const spec = lab.scenario.paths.find((p) => p.name === name);
    t.ok(view && spec, `${when}: ${name} is served`);
    if (!view || !spec) continue;
    t.equal(view.result, want.result, `${when}: ${name} result (${view.detail ?? 'no detail'})`);
    t.equal(view.state, want.state, `${when}: ${name} state`);
    const metrics = metricsOf.get(spec.from) ?? '';
    t.equal(sample(metrics, 'pathprobe_path_result', { path: name, result: want.result }), 1, `${when}: ${name} pathprobe_path_result{result="${want.result}"} 1`);
    t.equal(sample(metrics, 'pathprobe_path_up', { path: name }), behavedAsDeclared(spec.expect ?? 'reachable', want.result) ? 1 : 0, `${when}: ${name} pathprobe_path_up`);
    t.ok((sample(metrics, 'pathprobe_probes_total', { path: name, result: want.result }) ?? 0) >= 1, `${when}: ${name} pathprobe_probes_total{result="${want.result}"} counted`);
  }
}

/** Asserts that no namespace, /etc/netns entry, state dir or process of run `runId` is left. */
export async function assertNothingSurvives(t: Test, runId: string, pids: number[]): Promise<void> {
  const prefix = `${LAB_PREFIX}${runId}-`;
  t.same((await labNetns()).filter((n) => n.startsWith(prefix)), [], `run ${runId}: no network namespace left`);
  t.same((await readdir('/etc/netns').catch(() => [] as string[])).filter((n) => n.startsWith(prefix)), [], `run ${runId}: no /etc/netns entry left`);
  t.notOk(existsSync(stateDir(runId)), `run ${runId}: no state directory left`);
  t.same(pids.filter((p) => !processGone(p)), [], `run ${runId}: none of its ${pids.length} processes left`);
}

/** Runs `scenario` end to end: start, its expectations, each step's change and expectations, teardown. */
export async function runScenario(t: Test, scenario: LabScenario): Promise<void> {
  if (!canRunLab(t)) return;
  await sweepLeftovers();
  const lab = await startLab(scenario);
  t.teardown(() => lab.close());
  const pids = lab.pids();
  await assertExpectations(t, lab, scenario.expect, 'at start');
  for (const [i, step] of (scenario.steps ?? []).entries()) {
    const agentPids = agentPods(scenario).map((p) => lab.agent(p.name).child.pid);
    const before = await pathViews(lab);
    t.comment(`step ${i + 1}: ${step.description}`);
    await lab.apply(step);
    await assertExpectations(t, lab, step.expect, `step ${i + 1}`);
    for (const [name, view] of before) {
      const metrics = (await lab.get(scenario.paths.find((p) => p.name === name)?.from ?? '', '/metrics')).body;
      t.ok((sample(metrics, 'pathprobe_probes_total', { path: name, result: view.result ?? '' }) ?? 0) >= 1, `step ${i + 1}: ${name} still counts its ${view.result} probes from before the step`);
    }
    t.same(agentPods(scenario).map((p) => lab.agent(p.name).child.exitCode === null ? lab.agent(p.name).child.pid : -1), agentPids, `step ${i + 1}: the same agent processes kept running (no restart)`);
  }
  await lab.close();
  await assertNothingSurvives(t, lab.runId, pids);
}

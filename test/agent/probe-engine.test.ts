// The probe thread (agent/probe-engine.ts, probe-thread.ts): real tcp probes on loopback, run by
// the scheduler on a thread of its own and reported on this one; results of a changed path never
// cross its commit; stop; and the fallback to this thread when the probe thread dies.
import t, { type Test } from 'tap';
import { createServer, type Server } from 'node:net';
import type { Worker } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PathSpec } from '../../src/catalog/types.js';
import { LocalEngine, ThreadEngine, type EngineHooks, type ProbeEngine } from '../../src/agent/probe-engine.js';
import type { ProbeOutcome } from '../../src/probe/types.js';
import type { SkipReason } from '../../src/schedule/scheduler.js';
import { makePath } from '../fixtures/path-spec.js';
import { freePort } from '../helpers/free-port.js';
import { startStalledListener } from '../helpers/stalled-listener.js';
import { until } from '../helpers/until.js';

interface Seen {
  results: { path: PathSpec; outcome: ProbeOutcome; lagMs: number }[];
  lags: number[];
  skips: { path: PathSpec; reason: SkipReason; count: number }[];
  inFlight: number[];
  errors: unknown[];
  lost: unknown[];
  /** Results and commits in the order this thread saw them. */
  log: string[];
}

function recorder(): { seen: Seen; hooks: EngineHooks } {
  const seen: Seen = { results: [], lags: [], skips: [], inFlight: [], errors: [], lost: [], log: [] };
  const hooks: EngineHooks = {
    result: (path, outcome, lagMs) => {
      seen.results.push({ path, outcome, lagMs });
      seen.log.push(`result ${path.name} ${path.port} ${outcome.result} ${outcome.detail}`);
    },
    started: (lagMs) => seen.lags.push(lagMs),
    skipped: (path, reason, count) => seen.skips.push({ path, reason, count }),
    inFlight: (count) => seen.inFlight.push(count),
    error: (error) => seen.errors.push(error),
    pressure: () => undefined,
    lost: (error) => seen.lost.push(error),
  };
  return { seen, hooks };
}

async function acceptingServer(t: Test): Promise<number> {
  const server: Server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

const tcpPath = (name: string, port: number, overrides: Partial<PathSpec> = {}): PathSpec =>
  makePath(name, { target: `127.0.0.1:${port}`, host: '127.0.0.1', port, toNamespace: '', intervalMs: 100, timeoutMs: 80, ...overrides });

function startEngine(t: Test, hooks: EngineHooks, maxInFlight = 64): ThreadEngine {
  const engine = new ThreadEngine(hooks, { maxInFlight });
  t.teardown(() => engine.stop(0));
  return engine;
}

/** Blocks this thread's event loop for `ms`. */
function blockFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

t.test('probes on a thread of its own: a blocked agent thread delays no start', async (t) => {
  const open = await acceptingServer(t);
  const closed = await freePort();
  const { seen, hooks } = recorder();
  const engine = startEngine(t, hooks);
  let committed = 0;
  const summary = await engine.update([tcpPath('open', open), tcpPath('closed', closed)], () => committed++);
  t.equal(committed, 1, 'committed once');
  t.same(summary.added, ['open', 'closed']);
  t.ok(engine.offThread, 'the probe thread runs');
  t.same(engine.paths().map((p) => p.name), ['open', 'closed']);
  await until('results of both paths', () => seen.results.some((r) => r.path.name === 'open') && seen.results.some((r) => r.path.name === 'closed'), 5000);
  for (const { path, outcome } of seen.results) t.equal(outcome.result, path.name === 'open' ? 'ok' : 'refused', `${path.name}: ${outcome.result}`);
  t.ok(seen.inFlight.length > 0, 'runs in flight are reported');

  // 600 ms with this thread's loop blocked: each path's runs (every 100 ms) start on time on the
  // probe thread. On this thread they would start up to 600 ms late.
  const lagsBefore = seen.lags.length;
  blockFor(600);
  await until('the runs made meanwhile', () => seen.lags.length >= lagsBefore + 8, 5000);
  const during = seen.lags.slice(lagsBefore);
  t.ok(Math.max(...during) < 100, `starts while this thread was blocked were on time: max lag ${Math.max(...during).toFixed(1)} ms over ${during.length} runs`);
  t.same(seen.errors, []);
});

t.test('a control: the same block on a LocalEngine makes the starts late', async (t) => {
  const open = await acceptingServer(t);
  const { seen, hooks } = recorder();
  const engine = new LocalEngine(hooks, { maxInFlight: 64 });
  t.teardown(() => engine.stop(0));
  await engine.update([tcpPath('open', open)], () => undefined);
  await until('a first start', () => seen.lags.length > 0, 5000);
  const lagsBefore = seen.lags.length;
  const skipsBefore = seen.skips.length;
  blockFor(600);
  await until('a start after the block', () => seen.lags.length > lagsBefore, 5000);
  // The slot due during the block starts ~500 ms late; or, when a run was in flight as the block
  // began (its end waits behind the timer that fires first), it is skipped as still running.
  const late = Math.max(...seen.lags.slice(lagsBefore));
  const skipped = seen.skips.slice(skipsBefore).map((s) => s.reason).filter((r) => r === 'still_running' || r === 'missed');
  t.ok(late > 400 || skipped.length > 0, `the slot due during the block started late (max lag ${late.toFixed(0)} ms) or was skipped (${skipped.join(', ') || 'none'}): the measure above can fail`);
});

t.test('a changed path: every result before the commit is of the old spec, every one after of the new', async (t) => {
  const a = await acceptingServer(t);
  const b = await acceptingServer(t);
  const { seen, hooks } = recorder();
  const engine = startEngine(t, hooks);
  const spec = (port: number) => tcpPath('p', port, { intervalMs: 10, timeoutMs: 200 });
  for (let i = 0; i < 30; i++) {
    const port = i % 2 === 0 ? a : b;
    const summary = await engine.update([spec(port), tcpPath('steady', a, { intervalMs: 10 })], () => seen.log.push(`commit ${port}`));
    if (i > 0) t.same([summary.changed, summary.unchanged], [['p'], ['steady']], `update ${i}: p changed, steady unchanged`, { diagnostic: false });
    await sleep(15 + (i % 4) * 5);
  }
  await until('results after the last commit', () => seen.log.at(-1)?.startsWith('result'), 5000);
  let committedPort: string | undefined;
  let checked = 0;
  const wrong: string[] = [];
  for (const line of seen.log) {
    const words = line.split(' ');
    if (words[0] === 'commit') committedPort = words[1];
    else if (words[1] === 'p') {
      checked++;
      // The spec handed with the result, the address the probe connected to, and the last commit agree.
      if (words[2] !== committedPort || !line.includes(`127.0.0.1:${committedPort}`)) wrong.push(line);
    }
  }
  t.ok(checked >= 20, `${checked} results of the changing path checked`);
  t.same(wrong, [], 'no result crossed a commit');
  t.ok(seen.results.filter((r) => r.path.name === 'steady').length >= 20, 'the unchanged path kept running through the updates');
});

t.test('skips are reported with their path; stop abandons what outlives its timeout', async (t) => {
  const stalled = await startStalledListener();
  t.teardown(() => stalled.close());
  const { seen, hooks } = recorder();
  const engine = new ThreadEngine(hooks, { maxInFlight: 1 });
  await engine.update([tcpPath('hang-1', stalled.port, { timeoutMs: 5000 }), tcpPath('hang-2', stalled.port, { timeoutMs: 5000 })], () => undefined);
  await until('skips of both kinds', () => new Set(seen.skips.map((s) => s.reason)).size === 2, 5000);
  t.same(new Set(seen.skips.map((s) => s.reason)), new Set(['max_in_flight', 'still_running']));
  t.ok(seen.skips.every((s) => s.path.name.startsWith('hang-')), 'each skip names its path');
  await until('the in-flight count reported', () => engine.inFlightCount === 1, 5000);
  const abandoned = await engine.stop(100);
  t.equal(abandoned, 1, 'the hanging run was abandoned at stop');
  t.notOk(engine.offThread, 'the probe thread ended');
  const results = seen.results.length;
  await sleep(300);
  t.equal(seen.results.length, results, 'nothing is reported after stop');
  t.same(seen.lost, [], 'an ended probe thread is not reported lost');
  await t.rejects(engine.update([], () => undefined), /stopped/);
});

t.test('a probe thread that dies: the agent thread takes its paths over, and its requests', async (t) => {
  const open = await acceptingServer(t);
  const { seen, hooks } = recorder();
  const engine: ProbeEngine = startEngine(t, hooks);
  await engine.update([tcpPath('open', open)], () => undefined);
  await until('a result from the thread', () => seen.results.length > 0, 5000);
  // The one way to kill it from outside: the Worker is private to the engine.
  await (engine as unknown as { worker: Worker }).worker.terminate();
  await until('the loss reported', () => seen.lost.length > 0, 5000);
  t.notOk(engine.offThread, 'no probe thread');
  const before = seen.results.length;
  await until('results from this thread', () => seen.results.length > before + 2, 5000);
  let committed = false;
  const summary = await engine.update([tcpPath('open', open), tcpPath('added', open)], () => (committed = true));
  t.ok(committed);
  t.same(summary.added, ['added'], 'updates reach the fallback scheduler');
  await until('the added path probed', () => seen.results.some((r) => r.path.name === 'added'), 5000);
  t.equal(await engine.stop(1000), 0);
});

t.test('a probe thread lost with a request unanswered: the request is replayed on the fallback', async (t) => {
  const open = await acceptingServer(t);
  const { seen, hooks } = recorder();
  const engine: ProbeEngine = startEngine(t, hooks);
  await engine.update([tcpPath('open', open)], () => undefined);
  // The thread is ended, and before its exit is seen an update goes out that it will not answer.
  const ending = (engine as unknown as { worker: Worker }).worker.terminate();
  let committed = 0;
  const updated = engine.update([tcpPath('open', open), tcpPath('late', open)], () => committed++);
  await ending;
  const summary = await updated;
  t.equal(seen.lost.length, 1, 'the loss was reported once');
  t.equal(committed, 1, 'the update committed once');
  t.same(summary.added, ['late'], 'with the summary of what it changed');
  await until('the path it added probed', () => seen.results.some((r) => r.path.name === 'late'), 5000);
  t.equal(await engine.stop(1000), 0);
});

import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import t from 'tap';
import type { PathSpec } from '../../src/catalog/types.js';
import type { ProbeOutcome } from '../../src/probe/types.js';
import { diffPaths, Scheduler, STARTS_PER_TURN, type RunTiming, type SkipReason } from '../../src/schedule/scheduler.js';
import { FIRST_RUN_WITHIN_MS, firstStartMs, phaseOffsetMs } from '../../src/schedule/jitter.js';
import { ManualClock } from './manual-clock.js';
import { makePath } from '../fixtures/path-spec.js';

const ok = (seconds: number): ProbeOutcome => ({ result: 'ok', phases: { total: seconds }, durationSeconds: seconds, detail: '' });

/** A probe that takes `durationMs` of clock time, or ends as `timeout` when aborted first. */
function clockProbe(clock: ManualClock, durationMs: (p: PathSpec) => number) {
  const aborts: { name: string; at: number }[] = [];
  const probe = (path: PathSpec, signal: AbortSignal) =>
    new Promise<ProbeOutcome>((resolve) => {
      const start = clock.now();
      const handle = clock.setTimer(() => resolve(ok((clock.now() - start) / 1000)), durationMs(path));
      signal.addEventListener('abort', () => {
        clock.clearTimer(handle);
        aborts.push({ name: path.name, at: clock.now() });
        resolve({ result: 'timeout', phases: { total: 0 }, durationSeconds: 0, detail: 'aborted' });
      });
    });
  return { probe, aborts };
}

/** Stops a scheduler while moving the manual clock past its stop bound. */
async function stopOn(clock: ManualClock, scheduler: Scheduler): Promise<number> {
  const stopped = scheduler.stop(1000);
  await clock.advance(1000);
  return stopped;
}

function recorder() {
  const results: { name: string; outcome: ProbeOutcome; timing: RunTiming }[] = [];
  const skips: { name: string; reason: SkipReason }[] = [];
  const starts: { name: string; timing: RunTiming }[] = [];
  return {
    results,
    skips,
    starts,
    hooks: {
      onResult: (p: PathSpec, outcome: ProbeOutcome, timing: RunTiming) => results.push({ name: p.name, outcome, timing }),
      onSkip: (p: PathSpec, reason: SkipReason) => skips.push({ name: p.name, reason }),
      onStart: (p: PathSpec, timing: RunTiming) => starts.push({ name: p.name, timing }),
    },
  };
}

t.test('fixed rate: planned starts stay on the grid over many intervals, whatever the probe takes', async (t) => {
  const clock = new ManualClock();
  const { probe } = clockProbe(clock, () => 337);
  const rec = recorder();
  const scheduler = new Scheduler({ clock, probe, ...rec.hooks });
  scheduler.update([makePath('a', { intervalMs: 1000, timeoutMs: 900 })]);
  await clock.advance(200_000);
  t.equal(rec.starts.length, 200, 'one run per interval');
  const first = rec.starts[0]!.timing.plannedAt;
  rec.starts.forEach((s, i) => {
    if (s.timing.plannedAt !== first + i * 1000) t.fail(`run ${i} planned at ${s.timing.plannedAt}`);
    if (s.timing.lagMs !== 0) t.fail(`run ${i} lag ${s.timing.lagMs}`);
  });
  t.equal(rec.starts.at(-1)!.timing.plannedAt - first, 199 * 1000, 'no drift after 199 intervals');
  const finished = rec.starts.filter((s) => s.timing.startedAt + 337 <= clock.now()).length;
  t.ok(finished >= 199);
  t.equal(rec.results.length, finished, 'every finished run reported once');
  t.same(rec.skips, []);
  await stopOn(clock, scheduler);
});

t.test('first starts are spread over the interval, deterministically by name', async (t) => {
  const clock = new ManualClock();
  const scheduler = new Scheduler({ clock, probe: async () => ok(0), onResult: () => {} });
  const paths = Array.from({ length: 2000 }, (_, i) => makePath(`path-${i}`, { intervalMs: 10_000 }));
  scheduler.update(paths);
  const now = clock.now();
  const buckets = new Array<number>(10).fill(0);
  let outside = 0;
  for (const p of paths) {
    const at = scheduler.nextStartOf(p.name)!;
    if (at < now || at >= now + 10_000) outside++;
    else buckets[Math.floor(((at - now) / 10_000) * 10)]! += 1;
  }
  t.equal(outside, 0, 'every first start lies within one interval from now');
  for (const [i, n] of buckets.entries()) t.ok(n > 150 && n < 250, `bucket ${i} holds ${n} of 2000 starts`);
  const again = new Scheduler({ clock, probe: async () => ok(0), onResult: () => {} });
  again.update(paths.slice(0, 5));
  for (const p of paths.slice(0, 5)) t.equal(again.nextStartOf(p.name), scheduler.nextStartOf(p.name), 'same name, same phase');
  t.not(phaseOffsetMs('a', 10_000), phaseOffsetMs('b', 10_000));
  await stopOn(clock, scheduler);
  await stopOn(clock, again);
});

t.test('a path probed less often than every minute runs first within a minute, then on its phase', async (t) => {
  const clock = new ManualClock();
  const rec = recorder();
  const scheduler = new Scheduler({ clock, probe: async () => ok(0), ...rec.hooks });
  const hourly = Array.from({ length: 200 }, (_, i) => makePath(`hourly-${i}`, { intervalMs: 3_600_000 }));
  const added = clock.now();
  scheduler.update([...hourly, makePath('fast', { intervalMs: 30_000 })]);
  const phase = (name: string, interval: number) => firstStartMs(name, interval, added);
  await clock.advance(FIRST_RUN_WITHIN_MS);
  const early = rec.starts.filter((s) => s.name.startsWith('hourly-'));
  t.equal(new Set(early.map((s) => s.name)).size, 200, 'every hourly path has run once within the minute');
  t.equal(early.length, 200, 'once each');
  const offPhase = early.filter((s) => s.timing.plannedAt !== phase(s.name, 3_600_000)).length;
  t.ok(offPhase > 150, `${offPhase} of them ran before their phase slot (the rest had it within the minute)`);
  const spread = new Set(early.map((s) => Math.floor((s.timing.plannedAt - added) / 10_000)));
  t.equal(spread.size, 6, 'the early runs are spread over the minute, not at once');
  t.same(rec.starts.filter((s) => s.name === 'fast').map((s) => s.timing.plannedAt).slice(0, 1), [phase('fast', 30_000)],
    'a path probed every 30s starts on its phase as before');
  await clock.advance(2 * 3_600_000);
  for (const p of hourly.slice(0, 20)) {
    const planned = rec.starts.filter((s) => s.name === p.name).map((s) => s.timing.plannedAt);
    const slot = phase(p.name, 3_600_000);
    const expected = slot - added <= FIRST_RUN_WITHIN_MS ? [slot, slot + 3_600_000, slot + 7_200_000] : [planned[0]!, slot, slot + 3_600_000];
    t.same(planned, expected, `${p.name}: then its phase slots, an hour apart`);
  }
  t.same(rec.skips, [], 'no slot skipped or counted as missed');
  await stopOn(clock, scheduler);
});

t.test('each run is aborted at its deadline', async (t) => {
  const clock = new ManualClock();
  const { probe, aborts } = clockProbe(clock, () => 60_000);
  const rec = recorder();
  const scheduler = new Scheduler({ clock, probe, ...rec.hooks });
  scheduler.update([makePath('slow', { intervalMs: 1000, timeoutMs: 250 })]);
  await clock.advance(3000);
  t.ok(rec.starts.length >= 2);
  const due = rec.starts.filter((s) => s.timing.startedAt + 250 <= clock.now());
  t.ok(due.length >= 2);
  t.equal(aborts.length, due.length, 'every run past its deadline aborted');
  for (const [i, s] of due.entries()) t.equal(aborts[i]?.at, s.timing.startedAt + 250, `run ${i} aborted at start + timeout`);
  t.same(rec.results.map((r) => r.outcome.result), due.map(() => 'timeout'));
  t.same(rec.skips, []);
  await stopOn(clock, scheduler);
});

t.test('global cap skips with max_in_flight; an unfinished run skips with still_running', async (t) => {
  const clock = new ManualClock();
  // Probes ignore the deadline here: the cap and overlap rules must hold on their own.
  const probe = (p: PathSpec) =>
    new Promise<ProbeOutcome>((resolve) => clock.setTimer(() => resolve(ok(2.5)), p.name === 'long' ? 2500 : 700));
  const rec = recorder();
  let maxSeen = 0;
  const scheduler = new Scheduler({
    clock,
    probe,
    maxInFlight: 2,
    ...rec.hooks,
    onInFlightChange: (n) => (maxSeen = Math.max(maxSeen, n)),
  });
  scheduler.update(['a', 'b', 'c'].map((n) => makePath(n, { intervalMs: 1000, timeoutMs: 900 })));
  await clock.advance(10_000);
  t.equal(maxSeen, 2, 'never more than the cap in flight');
  const capped = rec.skips.filter((s) => s.reason === 'max_in_flight');
  t.ok(capped.length > 0, 'some runs skipped for the cap');
  t.equal(rec.starts.length + capped.length, 30, 'every planned run either started or was skipped');
  await stopOn(clock, scheduler);

  const clock2 = new ManualClock();
  const rec2 = recorder();
  const long = new Scheduler({
    clock: clock2,
    probe: () => new Promise<ProbeOutcome>((resolve) => clock2.setTimer(() => resolve(ok(2.5)), 2500)),
    ...rec2.hooks,
  });
  long.update([makePath('long', { intervalMs: 1000, timeoutMs: 900 })]);
  await clock2.advance(12_000);
  t.ok(rec2.skips.length >= 6, `skipped ${rec2.skips.length} runs`);
  t.ok(rec2.skips.every((s) => s.reason === 'still_running'));
  t.equal(rec2.starts.length + rec2.skips.length, 12, 'runs never queue up');
  await stopOn(clock2, long);
});

t.test('update: unchanged keep schedule and run, changed restart, removed stop and drop results', async (t) => {
  const clock = new ManualClock();
  const { probe, aborts } = clockProbe(clock, () => 400);
  const rec = recorder();
  const scheduler = new Scheduler({ clock, probe, ...rec.hooks });
  const a = makePath('keep', { intervalMs: 1000, timeoutMs: 900 });
  const b = makePath('change', { intervalMs: 1000, timeoutMs: 900 });
  const c = makePath('remove', { intervalMs: 1000, timeoutMs: 900 });
  scheduler.update([a, b, c]);
  // Move to a moment where all three are in flight: every path starts within its first interval.
  const latest = Math.max(...[a, b, c].map((p) => scheduler.nextStartOf(p.name)!));
  await clock.advance(latest - clock.now());
  const inFlightBefore = rec.starts.filter((s) => clock.now() - s.timing.startedAt < 400).map((s) => s.name);
  t.ok(inFlightBefore.length >= 1);
  const keepNext = scheduler.nextStartOf('keep');
  const summary = scheduler.update([
    { ...a, location: { file: 'other.yaml', line: 9, col: 3 } },
    { ...b, port: 81 },
  ]);
  t.same(summary, { added: [], changed: ['change'], removed: ['remove'], unchanged: ['keep'] });
  t.equal(scheduler.nextStartOf('keep'), keepNext, 'unchanged path keeps its schedule');
  t.equal(scheduler.nextStartOf('remove'), undefined);
  const resultsBefore = rec.results.length;
  await clock.advance(5000);
  const after = rec.results.slice(resultsBefore);
  t.notOk(after.some((r) => r.name === 'remove'), 'no result of a removed path');
  t.ok(after.some((r) => r.name === 'keep'));
  t.ok(after.filter((r) => r.name === 'change').every((r) => r.outcome.result === 'ok'), 'aborted old run of a changed path dropped');
  for (const name of inFlightBefore.filter((n) => n !== 'keep')) t.ok(aborts.some((x) => x.name === name), `${name} in-flight run aborted`);
  t.notOk(aborts.some((x) => x.name === 'keep'), 'unchanged in-flight run left alone');
  t.ok(rec.results.some((r) => r.name === 'keep' && r.timing.startedAt < keepNext! - 1000 + 1), 'its in-flight result delivered');
  t.equal(rec.starts.filter((s) => s.name === 'remove' && s.timing.startedAt > latest).length, 0, 'removed path never runs again');
  await stopOn(clock, scheduler);
});

t.test('stop: no new runs, in-flight results delivered, bounded wait', async (t) => {
  const clock = new ManualClock();
  const { probe } = clockProbe(clock, () => 300);
  const rec = recorder();
  const scheduler = new Scheduler({ clock, probe, ...rec.hooks });
  scheduler.update([makePath('a', { intervalMs: 1000, timeoutMs: 900 })]);
  await clock.advance(scheduler.nextStartOf('a')! - clock.now() + 10);
  t.equal(scheduler.inFlightCount, 1);
  const stopped = scheduler.stop(5000);
  await clock.advance(400);
  t.equal(await stopped, 0, 'nothing abandoned');
  t.equal(rec.results.length, 1, 'in-flight result delivered');
  await clock.advance(5000);
  t.equal(rec.starts.length, 1, 'no run after stop');
  t.equal(clock.timerCount, 0, 'no timer left behind');

  const clock2 = new ManualClock();
  let aborted = false;
  const stubborn = new Scheduler({
    clock: clock2,
    // Settles only long after abort: stop() must not wait for it beyond its bound.
    probe: (_p, signal) => new Promise<ProbeOutcome>((resolve) => {
      signal.addEventListener('abort', () => (aborted = true));
      clock2.setTimer(() => resolve(ok(99)), 99_000);
    }),
    onResult: () => t.fail('abandoned run must not report'),
  });
  stubborn.update([makePath('stuck', { intervalMs: 100_000, timeoutMs: 50_000 })]);
  await clock2.advance(stubborn.nextStartOf('stuck')! - clock2.now());
  const stopping = stubborn.stop(2000);
  await clock2.advance(2000);
  t.equal(await stopping, 1, 'one run abandoned after the bound');
  t.ok(aborted);
  await clock2.advance(100_000);
});

t.test('a prober that throws becomes an error outcome', async (t) => {
  const clock = new ManualClock();
  const rec = recorder();
  const scheduler = new Scheduler({ clock, probe: () => { throw new Error('boom'); }, ...rec.hooks });
  scheduler.update([makePath('bad', { intervalMs: 1000 })]);
  await clock.advance(1000);
  t.equal(rec.results.length, 1);
  t.equal(rec.results[0]!.outcome.result, 'error');
  t.match(rec.results[0]!.outcome.detail, /boom/);
  await stopOn(clock, scheduler);
});

t.test('a slot reached late runs late (lag recorded); only slots whose successor is already due count as missed', async (t) => {
  const clock = new ManualClock();
  const { probe } = clockProbe(clock, () => 10);
  const rec = recorder();
  const skips: { reason: SkipReason; count: number }[] = [];
  const scheduler = new Scheduler({ clock, probe, ...rec.hooks, onSkip: (_p, reason, count) => skips.push({ reason, count }) });
  scheduler.update([makePath('a', { intervalMs: 1000, timeoutMs: 900 })]);
  const first = scheduler.nextStartOf('a')!;
  await clock.advance(first - clock.now() - 1);
  clock.stall(401); // the loop is blocked across the slot, for less than an interval
  await clock.advance(0);
  t.equal(rec.starts.length, 1, 'the slot still runs');
  t.same(rec.starts[0]!.timing, { plannedAt: first, startedAt: first + 400, lagMs: 400 }, 'late, with its lag');
  t.same(skips, [], 'nothing skipped');
  t.equal(scheduler.nextStartOf('a'), first + 1000, 'the next slot stays on the grid');

  clock.stall(first + 1000 - clock.now() + 2500); // blocked past the next two slots' successors
  await clock.advance(0);
  t.equal(rec.starts.length, 2);
  t.same(rec.starts[1]!.timing, { plannedAt: first + 1000, startedAt: first + 3500, lagMs: 2500 }, 'the oldest due slot runs late');
  t.same(skips, [{ reason: 'missed', count: 2 }], 'the two slots already overtaken are counted missed');
  t.equal(scheduler.nextStartOf('a'), first + 4000, 'still on the grid');
  await clock.advance(600);
  t.equal(rec.starts.length, 3);
  t.equal(rec.starts[2]!.timing.lagMs, 0, 'back on time');
  await stopOn(clock, scheduler);
});

t.test('a burst of due slots starts in slices of STARTS_PER_TURN, each on its own timer turn', async (t) => {
  const clock = new ManualClock();
  const { probe } = clockProbe(clock, () => 10);
  const turns: number[] = [];
  const scheduler = new Scheduler({ clock, probe, onResult: () => undefined, onStart: () => turns.push(clock.fired), maxInFlight: 10_000 });
  const paths = Array.from({ length: 350 }, (_, i) => makePath(`burst-${i}`, { intervalMs: 10_000, timeoutMs: 900 }));
  scheduler.update(paths);
  clock.stall(9_999); // the loop was blocked while every first slot fell due
  await clock.advance(0);
  t.equal(turns.length, 350, 'every slot runs, late');
  const perTurn = [...turns.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<number, number>()).values()];
  t.same(perTurn, [STARTS_PER_TURN, STARTS_PER_TURN, STARTS_PER_TURN, 50], 'in slices');
  await stopOn(clock, scheduler);
});

t.test('a settled run\'s deadline costs no wake-up; unsettled ones still abort on time', async (t) => {
  const clock = new ManualClock();
  const rec = recorder();
  const scheduler = new Scheduler({ clock, probe: async () => ok(0), ...rec.hooks });
  scheduler.update([makePath('quick', { intervalMs: 1000, timeoutMs: 900 })]);
  await clock.advance(10_000);
  t.ok(rec.starts.length >= 9, `${rec.starts.length} runs`);
  t.equal(rec.results.length, rec.starts.length);
  // One timer per start; before, every run's deadline woke the scheduler once more.
  t.ok(clock.fired <= rec.starts.length + 1, `${clock.fired} timer callbacks for ${rec.starts.length} runs`);
  await stopOn(clock, scheduler);
});

t.test('a settled run is not held until its deadline (it would outlive the young generation)', async (t) => {
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const clock = new ManualClock();
  let timingRef: WeakRef<RunTiming> | undefined;
  const scheduler = new Scheduler({
    clock,
    probe: async () => ok(0),
    onResult: (p, _outcome, timing) => {
      if (p.name === 'quick') timingRef = new WeakRef(timing);
    },
  });
  // 'often' keeps a start event ahead of quick's deadline in the heap, so that deadline is not
  // at the head (a settled run's deadline at the head is dropped at once).
  scheduler.update([makePath('quick', { intervalMs: 1000, timeoutMs: 900 }), makePath('often', { intervalMs: 50, timeoutMs: 40 })]);
  for (let i = 0; i < 1000 && timingRef === undefined; i++) await clock.advance(1);
  t.ok(timingRef, 'the first run finished');
  // Its deadline is ~900 ms of clock time away and the clock stands still: only the heap's
  // deadline event could hold the run (and its timing) now.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  t.equal(timingRef?.deref(), undefined, 'the settled run and its timing were collected before its deadline');
  await stopOn(clock, scheduler);
});

t.test('on the system clock the probe gets deadlineAt, and its signal aborts then with the deadline reason', async (t) => {
  let seen: { signal: AbortSignal; deadlineAt: number | undefined; startedAt: number } | undefined;
  const results: ProbeOutcome[] = [];
  const scheduler = new Scheduler({
    probe: (_p, signal, deadlineAt) => new Promise<ProbeOutcome>((resolve) => {
      seen = { signal, deadlineAt, startedAt: performance.now() };
      signal.addEventListener('abort', () => resolve({ result: 'timeout', phases: { total: 0 }, durationSeconds: 0, detail: String((signal.reason as Error).message) }));
    }),
    onResult: (_p, outcome) => results.push(outcome),
  });
  t.teardown(() => scheduler.stop(0));
  scheduler.update([makePath('sys', { intervalMs: 400, timeoutMs: 120 })]);
  const deadline = performance.now() + 5_000;
  while (results.length === 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  t.ok(seen, 'the probe ran');
  t.type(seen!.deadlineAt, 'number');
  t.ok(Math.abs(seen!.deadlineAt! - (seen!.startedAt + 120)) < 5, 'deadlineAt is the start + timeout, in performance.now() ms');
  t.equal(results[0]?.detail, 'probe deadline of 120 ms reached');
  t.equal((seen!.signal.reason as DOMException).name, 'TimeoutError');

  const clock = new ManualClock();
  let manualDeadline: number | undefined = -1;
  const manual = new Scheduler({ clock, probe: async (_p, _s, at) => ((manualDeadline = at), ok(0)), onResult: () => {} });
  manual.update([makePath('m', { intervalMs: 1000 })]);
  await clock.advance(1000);
  t.equal(manualDeadline, undefined, 'no deadlineAt on another clock (its ms are not performance.now())');
  await stopOn(clock, manual);
});

t.test('a path\'s signal is reused only while clean: never aborted, no listener left by the previous run', async (t) => {
  const clock = new ManualClock();
  const signals: AbortSignal[] = [];
  let leaveListener = false;
  let hang = false;
  const scheduler = new Scheduler({
    clock,
    probe: (_p, signal) => {
      signals.push(signal);
      t.notOk(signal.aborted, 'a run never starts with an aborted signal');
      if (leaveListener) signal.addEventListener('abort', () => {});
      if (hang) return new Promise<ProbeOutcome>((resolve) => signal.addEventListener('abort', () => resolve(ok(0)), { once: true }));
      return Promise.resolve(ok(0));
    },
    onResult: () => {},
  });
  scheduler.update([makePath('p', { intervalMs: 1000, timeoutMs: 300 })]);
  await clock.advance(3000);
  t.ok(signals.length >= 2);
  t.ok(signals.every((s) => s === signals[0]), 'clean runs share one signal');

  leaveListener = true;
  signals.length = 0;
  await clock.advance(3000);
  t.ok(signals.length >= 3);
  t.equal(new Set(signals.slice(1)).size, signals.length - 1, 'after a run left a listener, each run gets a new signal');

  leaveListener = false;
  hang = true;
  signals.length = 0;
  await clock.advance(3000);
  t.ok(signals.length >= 2);
  t.ok(signals.every((s) => s.aborted), 'each hanging run was aborted at its deadline');
  t.equal(new Set(signals).size, signals.length, 'an aborted signal is never handed out again');
  await stopOn(clock, scheduler);
});

t.test('diffPaths and patch: a diff applied as a patch schedules what update would, and leaves unnamed paths alone', async (t) => {
  const a = makePath('a', { intervalMs: 1000, timeoutMs: 900 });
  const b = makePath('b', { intervalMs: 1000, timeoutMs: 900 });
  const c = makePath('c', { intervalMs: 1000, timeoutMs: 900 });
  const first = diffPaths(new Map(), [a, b, c, makePath('a', { intervalMs: 5 })]);
  t.same(first.summary, { added: ['a', 'b', 'c'], changed: [], removed: [], unchanged: [] }, 'the first path of a name wins');
  t.same(first.patch.upserts.map((p) => p.name), ['a', 'b', 'c']);

  const clock = new ManualClock();
  const { probe, aborts } = clockProbe(clock, () => 500);
  const rec = recorder();
  const scheduler = new Scheduler({ clock, probe, ...rec.hooks });
  scheduler.patch(first.patch);
  t.same(scheduler.paths(), [a, b, c]);
  await clock.advance(1000);
  t.equal(rec.starts.length, 3, 'each path started once');
  const bNext = scheduler.nextStartOf('b');

  // b moved in its file (location only), c changed, a removed, d added.
  const bMoved = { ...b, location: { file: 'other.yaml', line: 9, col: 1 } };
  const cChanged = { ...c, timeoutMs: 100 };
  const second = diffPaths(first.next, [bMoved, cChanged, makePath('d')]);
  t.same(second.summary, { added: ['d'], changed: ['c'], removed: ['a'], unchanged: ['b'] });
  t.same(second.patch.upserts.map((p) => p.name), ['c', 'd'], 'only what changed is in the patch');
  t.same(second.patch.removals, ['a']);
  rec.results.length = 0;
  scheduler.patch(second.patch);
  t.equal(scheduler.nextStartOf('b'), bNext, 'the unchanged path keeps its schedule');
  t.equal(scheduler.paths().find((p) => p.name === 'b'), b, 'and its spec object: the patch did not name it');
  t.equal(scheduler.nextStartOf('a'), undefined, 'the removed path is gone');
  await clock.advance(2000);
  const names = new Set(rec.results.map((r) => r.name));
  t.same([...names].sort(), ['b', 'c', 'd'], 'results of the paths scheduled now, and nothing of the removed one');
  t.ok(rec.results.filter((r) => r.name === 'c').every((r) => r.outcome.result === 'timeout'), 'the changed path runs with its new timeout');
  t.ok(aborts.every((x) => x.name !== 'b'), 'the unchanged path was never aborted');
  // update() on the same scheduler agrees with the diff: it takes the new spec objects too.
  const summary = scheduler.update([bMoved, cChanged, makePath('d')]);
  t.same(summary, { added: [], changed: [], removed: [], unchanged: ['b', 'c', 'd'] });
  t.equal(scheduler.paths()[0], bMoved, 'update hands unchanged paths their new spec object');
  t.equal(await stopOn(clock, scheduler), 0);
});

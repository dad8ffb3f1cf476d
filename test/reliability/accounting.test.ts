// Every planned probe run is either run (and its result counted in pathprobe_probes_total) or
// counted in pathprobe_probes_skipped_total{reason}: with the in-flight cap saturated and with the
// event loop blocked for longer than the interval. The planned runs are computed independently
// from each path's phase (src/schedule/jitter.ts) and the time the agent ran.
import t from 'tap';
import { pino } from 'pino';
import { startAgent } from '../../src/agent/agent.js';
import { runProbe } from '../../src/probe/probers.js';
import { phaseOffsetMs } from '../../src/schedule/jitter.js';
import { Scheduler, type SkipReason } from '../../src/schedule/scheduler.js';
import { systemClock, type Clock } from '../../src/schedule/clock.js';
import type { ProbeOutcome } from '../../src/probe/types.js';
import { ManualClock } from '../schedule/manual-clock.js';
import { makePath } from '../fixtures/path-spec.js';
import { parseSamples, sum } from '../helpers/prom-text.js';
import { generateCatalog, hungHttpServer, writeTempCatalog } from './helpers/targets.js';

const PATHS = Number(process.env.ACCOUNTING_PATHS ?? 300);

/** Planned starts of a path with this phase in [from, to] (monotonic ms). */
function slotsIn(name: string, intervalMs: number, from: number, to: number): number {
  const offset = phaseOffsetMs(name, intervalMs);
  const first = Math.ceil((from - offset) / intervalMs);
  const last = Math.floor((to - offset) / intervalMs);
  return Math.max(0, last - first + 1);
}

t.test('scheduler: slots passed while the process was paused are counted as missed', async (t) => {
  const base = new ManualClock();
  let skew = 0;
  // A clock that can jump: time moves on without the timers firing, as in a paused process.
  const clock: Clock = { now: () => base.now() + skew, setTimer: (cb, ms) => base.setTimer(cb, ms), clearTimer: (h) => base.clearTimer(h) };
  const skips: { reason: SkipReason; count: number }[] = [];
  let starts = 0;
  const scheduler = new Scheduler({
    clock,
    probe: async (): Promise<ProbeOutcome> => ({ result: 'ok', phases: { total: 0 }, durationSeconds: 0, detail: '' }),
    onStart: () => starts++,
    onResult: () => undefined,
    onSkip: (_p, reason, count) => skips.push({ reason, count }),
  });
  const from = clock.now();
  scheduler.update([makePath('paused', { intervalMs: 1000, timeoutMs: 500 })]);
  await base.advance(3000);
  skew += 5000;
  await base.advance(2000);
  const to = clock.now();
  const planned = slotsIn('paused', 1000, from, to);
  const missed = skips.filter((s) => s.reason === 'missed').reduce((a, s) => a + s.count, 0);
  t.comment(`starts ${starts}, skips ${JSON.stringify(skips)}, planned ${planned}`);
  t.ok(missed >= 4 && missed <= 5, `the slots of the 5 s pause are counted as missed (${missed})`);
  t.equal(starts + missed, planned, `every planned slot started or counted (${starts} started + ${missed} missed = ${planned})`);
  const stopped = scheduler.stop(0);
  await base.advance(1);
  await stopped;
});

t.test(`agent: ${PATHS} paths, cap of 50 in flight, event loop blocked 2.5 s: every planned run counted`, async (t) => {
  const hung = await hungHttpServer(t);
  const file = await writeTempCatalog(t, generateCatalog({ count: PATHS, check: 'http', port: hung.port, interval: '1s', timeout: '900ms', prefix: 'acct' }));
  let calls = 0;
  // The real clock, noting when the scheduler first read it (its update(): the first slots).
  let scheduledAt: number | undefined;
  const clock: Clock = {
    ...systemClock,
    now: () => {
      const now = systemClock.now();
      scheduledAt ??= now;
      return now;
    },
  };
  const agent = await startAgent({
    clock,
    catalogPaths: [file],
    listen: '127.0.0.1:0',
    logger: pino({ level: 'silent' }),
    prober: (path, ctx) => {
      calls++;
      return runProbe(path, ctx);
    },
    maxInFlight: 50,
    watch: false,
  });
  let stopped = false;
  t.teardown(() => (stopped ? undefined : agent.stop(0)));
  await new Promise((r) => setTimeout(r, 2500));
  // Block the event loop for 2.5 intervals: no timer can fire.
  const blockUntil = performance.now() + 2500;
  while (performance.now() < blockUntil) { /* busy */ }
  await new Promise((r) => setTimeout(r, 2000));
  const stopBefore = performance.now();
  stopped = true;
  await agent.stop(5000);

  const samples = parseSamples(await agent.registry.metrics());
  const done = sum(samples, 'pathprobe_probes_total');
  const skipped = (reason: SkipReason) => sum(samples, 'pathprobe_probes_skipped_total', { reason });
  // Every skip reason, whatever the set holds (SKIP_REASONS).
  const counted = done + sum(samples, 'pathprobe_probes_skipped_total');
  const names = Array.from({ length: PATHS }, (_, i) => `acct-${i}`);
  // stop() ends scheduling at once; slots in its last few ms may not have been reached by the
  // timer yet (neither run nor skipped: the agent is stopping), so the lower bound ends 50 ms early.
  const lower = names.reduce((a, n) => a + slotsIn(n, 1000, scheduledAt!, stopBefore - 50), 0);
  const upper = names.reduce((a, n) => a + slotsIn(n, 1000, scheduledAt!, stopBefore), 0);
  t.comment(`planned ${lower}..${upper}; done ${done}, skipped max_in_flight ${skipped('max_in_flight')}, still_running ${skipped('still_running')}, missed ${skipped('missed')}`);
  t.equal(done, calls, 'every run started delivered a counted result');
  t.ok(skipped('max_in_flight') > 0, 'the cap was saturated');
  t.ok(skipped('missed') >= PATHS, 'the blocked slots are counted as missed');
  t.ok(counted >= lower && counted <= upper, `done + skipped = ${counted}, within the planned ${lower}..${upper}`);
});

// The two mechanisms that let the agent recover from descriptor exhaustion without help: the
// scheduler's in-flight cap drops below the runs in flight on a shortage and grows back once it
// passes, and a catalog watch that could not be set up is set up again on the next poll.
import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { watchCatalog } from '../../src/agent/catalog-watcher.js';
import { PRESSURE_HEADROOM, PRESSURE_QUIET_MS, PRESSURE_WATCH_MS, Scheduler } from '../../src/schedule/scheduler.js';
import type { ProbeOutcome } from '../../src/probe/types.js';
import { ManualClock } from '../schedule/manual-clock.js';
import { makePath } from '../fixtures/path-spec.js';
import { tempDir } from './helpers/targets.js';

t.test('pressure: the cap drops below the runs in flight, then grows back one a second after a quiet spell', async (t) => {
  const clock = new ManualClock();
  let inFlight = 0;
  let maxSeen = 0;
  const scheduler = new Scheduler({
    clock,
    maxInFlight: 100,
    // Each run takes 900 ms of clock time.
    probe: () => new Promise<ProbeOutcome>((resolve) => clock.setTimer(() => resolve({ result: 'ok', phases: { total: 0.9 }, durationSeconds: 0.9, detail: '' }), 900)),
    onResult: () => undefined,
    onInFlightChange: (n) => {
      inFlight = n;
      maxSeen = Math.max(maxSeen, n);
    },
  });
  scheduler.update(Array.from({ length: 60 }, (_, i) => makePath(`p-${i}`, { intervalMs: 1000, timeoutMs: 950 })));
  await clock.advance(2000);
  t.ok(inFlight > 40, `about 54 runs in flight (${inFlight})`);
  t.equal(scheduler.inFlightCap, 100);
  const atShortage = inFlight;
  scheduler.pressure();
  t.equal(scheduler.inFlightCap, atShortage - PRESSURE_HEADROOM, 'the cap drops to the headroom below the runs in flight');
  await clock.advance(1000); // the runs started before the shortage finish
  maxSeen = 0;
  await clock.advance(PRESSURE_QUIET_MS - 1100);
  t.ok(maxSeen <= atShortage - PRESSURE_HEADROOM, `no more than the lowered cap ran during the quiet spell (${maxSeen})`);
  t.equal(scheduler.inFlightCap, atShortage - PRESSURE_HEADROOM, 'the cap holds during the quiet spell');
  await clock.advance(3500);
  t.equal(scheduler.inFlightCap, atShortage - PRESSURE_HEADROOM + 3, 'then it grows by one a second');
  await clock.advance(200_000);
  t.equal(scheduler.inFlightCap, 100, 'back to the configured cap');
  const stopped = scheduler.stop(0);
  await clock.advance(1);
  await stopped;
});

t.test('after a shortage, runs start only while the headroom of descriptors is free (or none is in flight), for PRESSURE_WATCH_MS', async (t) => {
  const clock = new ManualClock();
  let free = 100;
  let asked = 0;
  let started = 0;
  let inFlight = 0;
  let maxSeen = 0;
  const skipped: string[] = [];
  const scheduler = new Scheduler({
    clock,
    maxInFlight: 100,
    // Each run takes 900 ms of clock time: ~54 of 60 paths in flight at once.
    probe: () => {
      started++;
      return new Promise<ProbeOutcome>((resolve) => clock.setTimer(() => resolve({ result: 'ok', phases: { total: 0.9 }, durationSeconds: 0.9, detail: '' }), 900));
    },
    onResult: () => undefined,
    onSkip: (_path, reason, count) => { for (let i = 0; i < count; i++) skipped.push(reason); },
    onInFlightChange: (n) => {
      inFlight = n;
      maxSeen = Math.max(maxSeen, n);
    },
    freeDescriptors: () => {
      asked++;
      return free;
    },
  });
  scheduler.update(Array.from({ length: 60 }, (_, i) => makePath(`p-${i}`, { intervalMs: 1000, timeoutMs: 950 })));
  await clock.advance(3000);
  t.equal(asked, 0, 'never asked without a shortage (no cost in the steady state)');
  t.ok(inFlight > 40, `runs in flight (${inFlight})`);
  scheduler.pressure();
  const cap = scheduler.inFlightCap;
  t.ok(cap > 30, `the lowered cap alone would still let ${cap} run`);
  free = PRESSURE_HEADROOM - 1;
  await clock.advance(1000); // the runs in flight finish
  maxSeen = 0;
  started = 0;
  skipped.length = 0;
  await clock.advance(3000);
  t.equal(maxSeen, 1, `with ${free} descriptors free, one run at a time: only when none is in flight`);
  t.ok(started >= 2 && started <= 4, `so few start (${started} in 3 s)`);
  t.ok(skipped.length > 100 && skipped.every((r) => r === 'max_in_flight'), `the others are counted as max_in_flight (${skipped.length})`);
  t.ok(asked > 0, 'the free count was asked');
  free = PRESSURE_HEADROOM;
  maxSeen = 0;
  await clock.advance(2000);
  t.ok(maxSeen > 20, `runs start again once the headroom is free (${maxSeen} at once)`);
  free = 0;
  await clock.advance(PRESSURE_WATCH_MS);
  maxSeen = 0;
  asked = 0;
  await clock.advance(3000);
  t.ok(maxSeen > 20, `${PRESSURE_WATCH_MS / 1000} s after the shortage the count no longer gates (${maxSeen} at once)`);
  t.equal(asked, 0, 'nor is it asked');
  const stopped = scheduler.stop(0);
  await clock.advance(1);
  await stopped;
});

t.test('a catalog watch that could not be set up is set up on the next poll', async (t) => {
  const dir = await tempDir(t);
  const sub = join(dir, 'later');
  let changes = 0;
  const errors: string[] = [];
  const watch = await watchCatalog({
    paths: [join(sub, 'catalog.yaml')],
    onChange: () => changes++,
    onError: (error) => errors.push((error as NodeJS.ErrnoException).code ?? error.message),
    debounceMs: 10,
    pollIntervalMs: 1000,
  });
  t.teardown(() => watch.close());
  t.same(errors, ['ENOENT'], 'the directory does not exist yet: no watch');
  await mkdir(sub);
  await sleep(1200); // one poll: the watch is set up
  const before = changes;
  await writeFile(join(sub, 'catalog.yaml'), 'x');
  await sleep(300);
  t.ok(changes > before, 'a change is noticed by the watch, well before the next poll');
});

import t from 'tap';
import type { ResultClass } from '../../src/classify/result-class.js';
import type { ProbeOutcome } from '../../src/probe/types.js';
import { RESULT_CLASSES } from '../../src/classify/result-class.js';
import { behavedAsDeclared } from '../../src/agent/judge.js';
import { StatusStore } from '../../src/agent/status-store.js';
import { makePath } from '../fixtures/path-spec.js';

const outcome = (result: ResultClass): ProbeOutcome => ({ result, phases: { total: 0.01 }, durationSeconds: 0.01, detail: result });

t.test('up follows expect: reachable only on ok; blocked on timeout or unreachable', async (t) => {
  for (const r of RESULT_CLASSES) {
    t.equal(behavedAsDeclared('reachable', r), r === 'ok', `reachable ${r}`);
    t.equal(behavedAsDeclared('blocked', r), r === 'timeout' || r === 'unreachable', `blocked ${r}`);
  }
});

t.test('pending, up, down, change times, last success, bounded history', async (t) => {
  const store = new StatusStore({ source: 'eso', historyLimit: 3 });
  const a = makePath('a');
  t.same(store.setCatalog([a], 1000), []);
  t.equal(store.sourceFilter(), 'eso');
  t.equal(store.ready(), false);
  t.equal(store.get('a')!.state, 'pending');

  let changes = store.record(a, outcome('ok'), 2000);
  t.same(changes.map((c) => [c.status.spec.name, c.from, c.to, c.at]), [['a', 'pending', 'up', 2000]]);
  t.same(store.record(a, outcome('ok'), 3000), [], 'no change, no event');
  changes = store.record(a, outcome('timeout'), 4000);
  t.same(changes.map((c) => [c.from, c.to]), [['up', 'down']]);
  const s = store.get('a')!;
  t.equal(s.lastChangeAt, 4000);
  t.equal(s.lastSuccessAt, 3000);
  t.equal(s.last!.outcome.result, 'timeout');
  t.equal(s.last!.up, false);
  store.record(a, outcome('refused'), 5000);
  t.same(s.history.map((h) => [h.at, h.result, h.up]), [[3000, 'ok', true], [4000, 'timeout', false], [5000, 'refused', false]], 'oldest dropped, most recent last');
  store.setReady(true);
  t.equal(store.ready(), true);
});

t.test('a blocked path holding while its control is not up is inconclusive', async (t) => {
  const store = new StatusStore();
  const control = makePath('ctl');
  const iso = makePath('iso', { expect: 'blocked', control: 'ctl' });
  const lone = makePath('lone', { expect: 'blocked', control: 'run-by-another-agent' });
  store.setCatalog([control, iso, lone], 0);
  store.record(iso, outcome('timeout'), 1);
  t.equal(store.get('iso')!.state, 'inconclusive', 'control pending: not proven');
  store.record(lone, outcome('unreachable'), 1);
  t.equal(store.get('lone')!.state, 'up', 'control not run here: judged on its own');
  let changes = store.record(control, outcome('ok'), 2);
  t.same(changes.map((c) => [c.status.spec.name, c.to]), [['ctl', 'up'], ['iso', 'up']], 'control recovery lifts the blocked path');
  changes = store.record(control, outcome('refused'), 3);
  t.same(changes.map((c) => [c.status.spec.name, c.to]), [['ctl', 'down'], ['iso', 'inconclusive']]);
  store.record(iso, outcome('ok'), 4);
  t.equal(store.get('iso')!.state, 'down', 'a breach is a breach whatever the control says');
  store.record(iso, outcome('refused'), 5);
  t.equal(store.get('iso')!.state, 'down', 'refused means packets reached the host: not blocked');
});

t.test('setCatalog keeps results by name, drops removed paths, keeps order', async (t) => {
  const store = new StatusStore();
  const a = makePath('a');
  const b = makePath('b');
  store.setCatalog([a, b], 0);
  store.record(a, outcome('ok'), 1);
  store.record(b, outcome('ok'), 1);
  const c = makePath('c');
  const a2 = makePath('a', { expect: 'blocked' });
  const changes = store.setCatalog([c, a2], 2);
  t.same(store.list().map((s) => s.spec.name), ['c', 'a']);
  t.equal(store.get('b'), undefined);
  t.equal(store.get('a')!.spec, a2, 'new spec');
  t.same(changes.map((x) => [x.status.spec.name, x.from, x.to]), [['a', 'up', 'down']], 'judged again against the new expect');
  t.same(store.record(b, outcome('ok'), 3), [], 'a removed path is ignored');
});

t.test('the last outcome is the store\'s own copy, updated in place, equal to what the prober returned', async (t) => {
  const store = new StatusStore();
  const a = makePath('a');
  store.setCatalog([a], 0);
  const first: ProbeOutcome = {
    result: 'ok', phases: { resolve: 0.001, connect: 0.002, processing: 0.05, transfer: 0.001, total: 0.054 },
    durationSeconds: 0.054, detail: 'http://svc/: status 200', status: 200, addresses: ['10.0.0.1'],
  };
  store.record(a, first, 1);
  const kept = store.get('a')!.last!.outcome;
  t.not(kept, first, 'not the prober\'s object (which would be held for a whole interval)');
  t.not(kept.phases, first.phases);
  t.not(kept.addresses, first.addresses);
  t.same(JSON.parse(JSON.stringify(kept)), first);

  // Fewer phases, no status, other addresses, out of descriptors: nothing of the first is left.
  const second: ProbeOutcome = {
    result: 'error', phases: { connect: 0.0001, total: 0.0001 }, durationSeconds: 0.0001,
    detail: 'EMFILE', addresses: ['10.0.0.2'], outOfDescriptors: true,
  };
  store.record(a, second, 2);
  t.equal(store.get('a')!.last!.outcome, kept, 'the same object, updated');
  t.same(JSON.parse(JSON.stringify(kept)), second);
  t.same(Object.keys(kept.phases).sort(), ['connect', 'total']);
  t.equal(kept.status, undefined);

  // Same phase names: the phases object is updated in place; equal addresses are kept.
  const phases = kept.phases;
  const addresses = kept.addresses;
  store.record(a, { ...second, phases: { connect: 0.0003, total: 0.0004 }, durationSeconds: 0.0004, addresses: ['10.0.0.2'], outOfDescriptors: undefined }, 3);
  t.equal(kept.phases, phases);
  t.same(kept.phases, { connect: 0.0003, total: 0.0004 });
  t.equal(kept.addresses, addresses);
  t.equal(kept.outOfDescriptors, undefined);
  t.equal(store.get('a')!.history.length, 3);
});

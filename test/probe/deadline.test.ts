import { performance } from 'node:perf_hooks';
import t from 'tap';
import { deadlineError, startDeadline } from '../../src/probe/deadline.js';

t.test('own deadline: aborts at timeoutMs with the deadline reason, follows the parent, disposes', async (t) => {
  const parent = new AbortController();
  const started = performance.now();
  const d = startDeadline(parent.signal, 80);
  t.not(d.signal, parent.signal, 'a signal of its own');
  t.notOk(d.expired());
  await new Promise((resolve) => d.signal.addEventListener('abort', resolve, { once: true }));
  t.ok(performance.now() - started >= 78, 'not before the timeout');
  t.ok(d.expired());
  t.equal((d.signal.reason as DOMException).name, 'TimeoutError');
  t.equal((d.signal.reason as DOMException).message, deadlineError(80).message);
  t.equal(d.remaining(), 0);
  d.dispose();

  const early = startDeadline(parent.signal, 10_000);
  parent.abort(new Error('stopped'));
  t.ok(early.expired(), 'the parent aborting ends it');
  t.equal((early.signal.reason as DOMException).message, 'probe deadline of 10000 ms reached');
  early.dispose();
});

t.test('parentAt: a parent that aborts no later than our deadline is the deadline itself', async (t) => {
  const parent = new AbortController();
  const at = performance.now() + 200;
  const shared = startDeadline(parent.signal, 200, at);
  t.equal(shared.signal, parent.signal, 'the caller\'s signal, no controller of our own');
  t.equal(shared.at, at);
  t.ok(shared.remaining() > 150 && shared.remaining() <= 200);
  t.notOk(shared.expired());
  parent.abort(deadlineError(200));
  t.ok(shared.expired());
  shared.dispose();

  // A parent promising a later deadline than ours cannot stand in for it.
  const later = new AbortController();
  const own = startDeadline(later.signal, 50, performance.now() + 5000);
  t.not(own.signal, later.signal, 'own deadline when the parent\'s is later');
  await new Promise((resolve) => own.signal.addEventListener('abort', resolve, { once: true }));
  t.notOk(later.signal.aborted);
  own.dispose();
});

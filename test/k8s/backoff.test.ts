import t from 'tap';
import { Backoff } from '../../src/k8s/backoff.js';

t.test('delays double from the initial one, stay within [d/2, d], and stop growing at the cap', async (t) => {
  const high = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0.999999 });
  t.same(Array.from({ length: 7 }, () => high.next()), [100, 200, 400, 800, 1000, 1000, 1000]);
  const low = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
  t.same(Array.from({ length: 7 }, () => low.next()), [50, 100, 200, 400, 500, 500, 500]);
  t.equal(low.failures, 7, 'counts every consecutive error, also past the cap');
});

t.test('reset() starts over at the first delay', async (t) => {
  const b = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0.999999 });
  b.next(); b.next(); b.next();
  b.reset();
  t.equal(b.failures, 0);
  t.equal(b.next(), 100);
});

t.test('jitter spreads the delays of many watchers', async (t) => {
  const delays = new Set(Array.from({ length: 50 }, () => new Backoff({ initialMs: 1000 }).next()));
  t.ok(delays.size > 10, `50 first delays took ${delays.size} distinct values`);
  for (const d of delays) t.ok(d >= 500 && d <= 1000, `${d} within [500, 1000]`);
});

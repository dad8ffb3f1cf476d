// The benchmark's histogram helpers on hand-made bucket counts.
import t from 'tap';
import { bucketDelta, lateRuns } from '../../src/bench/stats.js';

t.test('lateRuns: the runs of a lag-histogram delta, those over 25 ms, and the bound the latest fell under', async (t) => {
  const before = new Map([[0.005, 10], [0.025, 10], [0.05, 10], [0.25, 10], [Infinity, 10]]);
  const after = new Map([[0.005, 15], [0.025, 17], [0.05, 18], [0.25, 19], [Infinity, 19]]);
  t.same(lateRuns(bucketDelta(after, before)), { runs: 9, over25ms: 2, latestUnderMs: 250 });
  t.same(lateRuns(bucketDelta(before, before)), { runs: 0, over25ms: 0, latestUnderMs: 5 }, 'no runs: the first bound');
  t.same(lateRuns(new Map([[0.025, 1], [Infinity, 2]])), { runs: 2, over25ms: 1, latestUnderMs: Infinity }, 'past the last bound: Infinity');
});

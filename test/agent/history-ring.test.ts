// The compact history ring must read back exactly what a bounded array of entries would hold.
import t from 'tap';
import { RESULT_CLASSES } from '../../src/classify/result-class.js';
import { HistoryRing } from '../../src/agent/history-ring.js';
import type { HistoryEntry } from '../../src/agent/path-status.js';

t.test('same entries as a bounded array, oldest first, across wrap-arounds', async (t) => {
  for (const limit of [1, 3, 7, 60]) {
    const ring = new HistoryRing(limit);
    const model: HistoryEntry[] = [];
    for (let n = 0; n < 3 * limit + 5; n++) {
      const entry: HistoryEntry = {
        at: 1_764_000_000_000 + n * 1000 + 0.5 * (n % 2),
        result: RESULT_CLASSES[n % RESULT_CLASSES.length]!,
        up: n % 3 === 0,
        durationSeconds: n === 4 ? 0 : 0.001 * n + 1e-9,
      };
      ring.push(entry.at, entry.result, entry.up, entry.durationSeconds);
      model.push(entry);
      if (model.length > limit) model.shift();
      t.equal(ring.length, model.length);
      t.same(ring.entries(), model, `limit ${limit}, after ${n + 1} pushes`, { diagnostic: false });
    }
    t.strictSame(ring.entries(), model, `limit ${limit}: every field exact`);
  }
});

t.test('a limit of 0 keeps nothing', async (t) => {
  const ring = new HistoryRing(0);
  ring.push(1, 'ok', true, 0.1);
  t.equal(ring.length, 0);
  t.same(ring.entries(), []);
});

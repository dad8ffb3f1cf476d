// Observations written in place give the text prom-client writes for the same observations.
import t from 'tap';
import { Histogram, Registry } from 'prom-client';
import { HistogramSlots } from '../../src/metrics/histogram-slots.js';

function pair(): { plain: Histogram<'check' | 'result'>; fast: Histogram<'check' | 'result'>; registries: [Registry, Registry] } {
  const registries: [Registry, Registry] = [new Registry(), new Registry()];
  const make = (r: Registry) => new Histogram({ name: 'd_seconds', help: 'h', labelNames: ['check', 'result'], buckets: [0.001, 0.01, 0.1, 1], registers: [r] });
  return { plain: make(registries[0]), fast: make(registries[1]), registries };
}

t.test('same exposition as observe(), across label sets, bucket edges, overflow and reset()', async (t) => {
  const { plain, fast, registries } = pair();
  const sets = [{ check: 'tcp', result: 'ok' }, { check: 'http', result: 'timeout' }, { check: 'dns', result: 'ok' }];
  const slots = new HistogramSlots(fast, (key) => sets[key]!);
  const values = [0.0005, 0.001, 0.0010001, 0.05, 0.1, 0.99, 1, 3.5, 0, 0.25];
  let n = 0;
  for (let round = 0; round < 3; round++) {
    for (const v of values) {
      const k = n++ % sets.length;
      plain.observe(sets[k]!, v);
      slots.observe(k, v);
    }
    t.equal(await registries[1].metrics(), await registries[0].metrics(), `round ${round}`);
    if (round === 1) {
      plain.reset();
      fast.reset();
    }
  }
  t.match(await registries[1].metrics(), /^d_seconds_bucket\{le="\+Inf",check="tcp",result="ok"\} \d+$/m);
  t.throws(() => slots.observe(0, NaN), TypeError, 'a non-finite value is refused as observe() refuses it');
});

t.test('a histogram without labels (the scheduler lag)', async (t) => {
  const registries = [new Registry(), new Registry()];
  const [plain, fast] = registries.map((r) => new Histogram({ name: 'lag_seconds', help: 'h', buckets: [0.001, 0.01], registers: [r] }));
  const slots = new HistogramSlots(fast!, () => ({}));
  for (const v of [0, 0.0005, 0.001, 0.002, 0.5, 0.01]) {
    plain!.observe(v);
    slots.observe(0, v);
  }
  t.equal(await registries[1]!.metrics(), await registries[0]!.metrics());
  t.match(await registries[1]!.metrics(), /^lag_seconds_count 6$/m);
});

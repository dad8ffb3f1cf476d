// In-place series writes must leave the same exposition as prom-client's own set()/inc()/remove().
import t from 'tap';
import { Counter, Gauge, Registry } from 'prom-client';
import { FastRegistry } from '../../src/metrics/fast-registry.js';
import { SeriesTable, seriesHash } from '../../src/metrics/series-slot.js';

function metrics(registry: Registry): { gauge: Gauge<'path' | 'phase'>; counter: Counter<'path' | 'result'> } {
  const registers = [registry];
  return {
    gauge: new Gauge({ name: 'g_seconds', help: 'g', labelNames: ['path', 'phase'], registers }),
    counter: new Counter({ name: 'c_total', help: 'c', labelNames: ['path', 'result'], registers }),
  };
}

t.test('slot writes give the text of prom-client writes, through removal and reset', async (t) => {
  const plain = new Registry();
  const fast = new FastRegistry();
  const a = metrics(plain);
  const b = metrics(fast);
  const table = new SeriesTable([b.gauge, b.gauge, b.counter, b.counter]);
  const row = table.row([{ path: 'p"\\', phase: 'connect' }, { path: 'p"\\', phase: 'total' }, { path: 'p"\\', result: 'ok' }, { path: 'p"\\', result: 'timeout' }]);
  const slot = (i: number) => ({
    labels: row.labels[i]!,
    set: (v: number) => table.set(row, i, v),
    add: (v: number) => table.add(row, i, v),
    remove: () => table.remove(row, i),
  });
  const [connect, total, ok, timeout] = [slot(0), slot(1), slot(2), slot(3)];

  a.counter.inc({ path: 'p"\\', result: 'ok' }, 0);
  ok.add(0);
  a.gauge.set({ path: 'p"\\', phase: 'connect' }, 0.25);
  connect.set(0.25);
  a.gauge.set({ path: 'p"\\', phase: 'total' }, 0.5);
  total.set(0.5);
  t.equal(await fast.metrics(), await plain.metrics(), 'first writes');

  const entry = (b.gauge as unknown as { hashMap: Record<string, object> }).hashMap[seriesHash(connect.labels)];
  for (let i = 0; i < 3; i++) {
    a.counter.inc({ path: 'p"\\', result: 'ok' });
    ok.add(1);
    a.gauge.set({ path: 'p"\\', phase: 'connect' }, 0.125 * i);
    connect.set(0.125 * i);
  }
  t.equal((b.gauge as unknown as { hashMap: Record<string, object> }).hashMap[seriesHash(connect.labels)], entry, 'written in place: same entry');
  a.gauge.remove({ path: 'p"\\', phase: 'connect' });
  connect.remove();
  connect.remove();
  a.counter.inc({ path: 'p"\\', result: 'timeout' }, 2);
  timeout.add(2);
  t.equal(await fast.metrics(), await plain.metrics(), 'after in-place writes and a removal');
  t.notMatch(await fast.metrics(), /phase="connect"/);

  a.gauge.set({ path: 'p"\\', phase: 'connect' }, 1);
  connect.set(1);
  a.gauge.reset();
  b.gauge.reset();
  a.gauge.set({ path: 'p"\\', phase: 'total' }, 2);
  total.set(2);
  a.counter.inc({ path: 'p"\\', result: 'ok' });
  ok.add(1);
  t.equal(await fast.metrics(), await plain.metrics(), 'a reset metric is written again, not a stale entry');
  t.match(await fast.metrics(), /^g_seconds\{path="p\\"\\\\",phase="total"\} 2$/m);
});

t.test('seriesHash is prom-client\'s label hash', async (t) => {
  const registry = new Registry();
  const { gauge } = metrics(registry);
  gauge.set({ phase: 'tls', path: 'x' }, 1);
  t.same(Object.keys((gauge as unknown as { hashMap: object }).hashMap), [seriesHash({ path: 'x', phase: 'tls' })]);
});

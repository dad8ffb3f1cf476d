// The cached exposition must be the exact text prom-client's own Registry writes.
import t from 'tap';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { FastRegistry } from '../../src/metrics/fast-registry.js';

function fill(registry: Registry): { gauge: Gauge<'path' | 'phase'>; counter: Counter<'path' | 'result'> } {
  const registers = [registry];
  const gauge = new Gauge({ name: 'g_seconds', help: 'a gauge\nwith "help" \\ text', labelNames: ['path', 'phase'], registers });
  const counter = new Counter({ name: 'c_total', help: 'a counter', labelNames: ['path', 'result'], registers });
  const plain = new Gauge({ name: 'plain', help: 'no labels', registers });
  const collected = new Gauge({ name: 'collected', help: 'collect()', registers, collect() { this.set(7); } });
  const histogram = new Histogram({ name: 'h_seconds', help: 'h', buckets: [0.1, 1], registers });
  plain.set(3);
  void collected;
  histogram.observe(0.5);
  gauge.set({ path: 'a"b\\c\nd', phase: 'connect' }, 0.25);
  gauge.set({ path: 'p', phase: 'total' }, NaN);
  gauge.set({ path: 'q', phase: 'total' }, -Infinity);
  counter.inc({ path: 'p', result: 'ok' }, 0);
  counter.inc({ path: 'p', result: 'ok' });
  counter.inc({ path: 'p', result: 'timeout' }, 2);
  return { gauge, counter };
}

t.test('same text as prom-client, across scrapes with changed and removed series', async (t) => {
  const slow = new Registry();
  const fast = new FastRegistry();
  const a = fill(slow);
  const b = fill(fast);
  t.equal(await fast.metrics(), await slow.metrics());
  for (const m of [a, b]) {
    m.gauge.remove({ path: 'p', phase: 'total' });
    m.gauge.set({ path: 'q', phase: 'total' }, 1.5);
    m.gauge.set({ path: 'r', phase: 'resolve' }, 0.001);
    m.counter.inc({ path: 'p', result: 'ok' });
  }
  const text = await fast.metrics();
  t.equal(text, await slow.metrics());
  t.match(text, /^g_seconds\{path="q",phase="total"\} 1\.5$/m);
  t.notMatch(text, /path="p",phase="total"/);
  t.match(text, /^c_total\{path="p",result="ok"\} 2$/m);
});

t.test('metricsText() streams the text metrics() returns, in slices', async (t) => {
  const registry = new FastRegistry();
  const { gauge } = fill(registry);
  for (let i = 0; i < 5000; i++) gauge.set({ path: `p-${i}`, phase: 'total' }, i / 1000);
  const chunks: string[] = [];
  for await (const chunk of registry.metricsText()) chunks.push(chunk);
  t.equal(chunks.join(''), await registry.metrics());
  t.ok(chunks.length > 3, `several slices (${chunks.length})`);
});

t.test('metricsText() in the OpenMetrics format is the text metrics() returns (# EOF included)', async (t) => {
  const registry = new FastRegistry();
  // FastRegistry is typed for the Prometheus format (the agent's); the fallback covers any other.
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE as typeof Registry.PROMETHEUS_CONTENT_TYPE);
  fill(registry);
  const chunks: string[] = [];
  for await (const chunk of registry.metricsText()) chunks.push(chunk);
  const text = chunks.join('');
  t.equal(text, await registry.metrics());
  t.match(text, /\n# EOF\n$/);
});

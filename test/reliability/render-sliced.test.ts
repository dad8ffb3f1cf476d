// The sliced /metrics renderer writes exactly what prom-client writes, and yields to the event
// loop while it does; concurrent requests share one render.
import t from 'tap';
import { Registry } from 'prom-client';
import { createMetrics } from '../../src/metrics/metrics.js';
import { PathSeries } from '../../src/metrics/path-series.js';
import { renderMetricsSliced } from '../../src/metrics/render-sliced.js';
import { coalesce } from '../../src/server/coalesce.js';
import { makePath } from '../fixtures/path-spec.js';

t.test('byte for byte the text of registry.metrics(), whatever the slice size', async (t) => {
  const registry = new Registry();
  const metrics = createMetrics(registry, { version: '1.2.3' });
  const series = new PathSeries(metrics);
  const paths = Array.from({ length: 300 }, (_, i) => makePath(`p-${i}`, { owner: i % 2 ? 'team "a"\\b' : undefined }));
  series.applyCatalog(paths);
  for (const [i, p] of paths.entries()) {
    series.recordResult(p, { result: i % 3 ? 'ok' : 'timeout', phases: { connect: 0.001, total: 0.002 }, durationSeconds: 0.002, detail: '' }, i % 3 !== 0, 1_700_000_000_000);
    metrics.schedulerLagSeconds.observe(i / 10_000);
  }
  const expected = await registry.metrics();
  // process_* and nodejs_* values move between two renders; compare the pathprobe part exactly.
  const own = (text: string) => text.split('\n\n').filter((block) => block.includes('# HELP pathprobe_')).join('\n\n');
  for (const slice of [1, 7, 1000, 100_000]) {
    const got = await renderMetricsSliced(registry, slice);
    t.equal(own(got), own(expected), `slice ${slice}: same pathprobe metrics`);
    t.equal(got.split('\n\n').length, expected.split('\n\n').length, `slice ${slice}: same metric blocks`);
    t.ok(got.endsWith('\n') && !got.endsWith('\n\n'), 'one final newline');
  }

  let ticks = 0;
  const ticker = setInterval(() => ticks++, 0);
  await renderMetricsSliced(registry, 50);
  clearInterval(ticker);
  t.ok(ticks > 10, `timers ran during the render (${ticks} ticks)`);
});

t.test('coalesce: one render for concurrent callers, reused within maxAge, retried after a failure', async (t) => {
  let renders = 0;
  let fail = false;
  let clock = 0;
  const render = coalesce(async () => {
    renders++;
    await new Promise((r) => setTimeout(r, 20));
    if (fail) throw new Error('boom');
    return renders;
  }, { maxAgeMs: 1000, now: () => clock });
  const got = await Promise.all([render(), render(), render()]);
  t.same(got, [1, 1, 1], 'three concurrent callers, one render');
  clock = 500;
  t.equal(await render(), 1, 'reused within maxAge');
  clock = 1500;
  t.equal(await render(), 2, 'rendered again after maxAge');
  fail = true;
  clock = 3000;
  await t.rejects(render(), /boom/);
  fail = false;
  t.equal(await render(), 4, 'a failed render is not cached');

  // costFactor: reused for as long as it took to render (here 30 ms of clock).
  let calls = 0;
  let time = 0;
  const slow = coalesce(async () => {
    calls++;
    time += 30;
    return calls;
  }, { costFactor: 1, now: () => time });
  t.equal(await slow(), 1);
  time += 20;
  t.equal(await slow(), 1, 'younger than its render time: reused');
  time += 20;
  t.equal(await slow(), 2, 'older: rendered again');
});

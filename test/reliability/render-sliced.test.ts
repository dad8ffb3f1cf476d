// The sliced /metrics renderer writes exactly what prom-client writes, and yields to the event
// loop while it does; concurrent requests share one render.
import t from 'tap';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { createExplainerMetrics } from '../../src/metrics/explainer-metrics.js';
import { renderMetricsSliced } from '../../src/metrics/render-sliced.js';
import { coalesce } from '../../src/server/coalesce.js';
import { countTurns } from '../helpers/loop-turns.js';

t.test('byte for byte the text of registry.metrics(), whatever the slice size', async (t) => {
  // The explainer's registry (plain prom-client, the one renderMetricsSliced serves) at 300 paths.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const explainer = createExplainerMetrics(registry);
  const lag = new Histogram({ name: 'pathprobe_test_lag_seconds', help: 'h', registers: [registry] });
  for (let i = 0; i < 300; i++) {
    const path = `p-${i}${i % 2 ? ' team "a"\\b' : ''}`;
    explainer.setVerdict(path, i % 3 ? 'allowed' : 'denied_ingress');
    explainer.setReadyEndpoints(path, i % 5);
    lag.observe(i / 10_000);
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

  // Other callbacks run between slices.
  const { turns } = await countTurns(() => renderMetricsSliced(registry, 5));
  t.ok(turns > 10, `the event loop turned during the render (${turns} turns)`);
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

  // version: a finished render is not reused once the version moved (the agent's paths changed).
  let version = 1;
  const versioned = coalesce(async () => version * 10, { maxAgeMs: 1000, now: () => 0, version: () => version });
  t.equal(await versioned(), 10);
  t.equal(await versioned(), 10, 'same version: reused');
  version = 2;
  t.equal(await versioned(), 20, 'new version: rendered again');
});

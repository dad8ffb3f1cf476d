// Load: LOAD_PATHS paths (default 2,000; full size 10,000) probing loopback targets at ~1,000
// probes a second while LOAD_SCRAPERS clients (default 50) fetch /metrics and the status page
// back to back for LOAD_SECONDS (default 10), from a niced child process (helpers/scrapers.ts: they
// stand in for remote Prometheus servers and browsers). No request may fail or answer non-200, no path may
// go unprobed (LOAD_STRICT=1; 95% otherwise), and the scheduler lag p99 (from the agent's own
// pathprobe_scheduler_lag_seconds over the window) must stay within LOAD_LAG_P99_MS when set;
// without it only a loose median bound is asserted and the figures are printed. LOAD_AGENT_ARGS
// adds `pathprobe run` arguments.
import t from 'tap';
import { startAgentProcess } from './helpers/agent-process.js';
import { until } from '../helpers/until.js';
import { bucketDelta, histogramBuckets, parseSamples, quantileBound, select, sum, type Sample } from '../helpers/prom-text.js';
import { quantile } from '../../src/bench/stats.js';
import { runScrapers, type Fetched } from './helpers/scrapers.js';
import { childHttpServer, generateCatalog, writeTempCatalog } from './helpers/targets.js';

const PATHS = Number(process.env.LOAD_PATHS ?? 2000);
const SCRAPERS = Number(process.env.LOAD_SCRAPERS ?? 50);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 10);
/** The scheduler lag p99 bound, asserted when set (the full-size run sets 5). */
const LAG_P99_MS = process.env.LOAD_LAG_P99_MS === undefined ? undefined : Number(process.env.LOAD_LAG_P99_MS);
/** Without it (CI, a shared 2-core runner), a loose bound on the median only: see docs/reliability.md. */
const CI_LAG_P50_MS = 1000;
/** Share of paths that must be probed during the window (1 with LOAD_STRICT=1). */
const PROBED_SHARE = process.env.LOAD_STRICT === '1' ? 1 : 0.95;
/** ~1,000 probes a second whatever the size. */
const INTERVAL_S = Math.max(1, Math.ceil(PATHS / 1000));
/** Extra `pathprobe run` arguments, space-separated (e.g. `--serve-nice 0` to compare). */
const AGENT_ARGS = (process.env.LOAD_AGENT_ARGS ?? '').split(' ').filter(Boolean);

t.test(`${PATHS} paths probing while ${SCRAPERS} clients scrape for ${SECONDS} s`, async (t) => {
  const target = await childHttpServer(t);
  const file = await writeTempCatalog(t, generateCatalog({ count: PATHS, check: 'http', port: target.port, interval: `${INTERVAL_S}s`, timeout: '1s', prefix: 'load' }));
  const agent = await startAgentProcess(t, { catalogPaths: [file], args: AGENT_ARGS });
  const scrape = async (): Promise<Sample[]> => parseSamples(await (await fetch(`${agent.url}metrics`)).text());
  await until('every path probed once', async () => {
    await new Promise((r) => setTimeout(r, 1000)); // a scrape of 10,000 paths is not free
    const probed = new Set(select(await scrape(), 'pathprobe_probes_total').filter((s) => s.value > 0).map((s) => s.labels.path));
    return probed.size === PATHS;
  }, INTERVAL_S * 3000 + 20_000);

  const before = await scrape();
  const startedAt = performance.now();
  const run = await runScrapers(agent.url, SCRAPERS, SECONDS);
  const results = { metrics: run.results.filter((r) => r.which === 'metrics'), page: run.results.filter((r) => r.which === 'page') };
  const failures = run.failures;
  const windowS = (performance.now() - startedAt) / 1000;
  const after = await scrape();

  const lag = bucketDelta(histogramBuckets(after, 'pathprobe_scheduler_lag_seconds'), histogramBuckets(before, 'pathprobe_scheduler_lag_seconds'));
  const lagRuns = lag.get(Infinity) ?? 0;
  const p99 = quantileBound(lag, 0.99);
  const p50 = quantileBound(lag, 0.5);
  const delta = (name: string, match: Record<string, string> = {}) => sum(after, name, match) - sum(before, name, match);
  const done = delta('pathprobe_probes_total');
  const skipped = { max_in_flight: delta('pathprobe_probes_skipped_total', { reason: 'max_in_flight' }), still_running: delta('pathprobe_probes_skipped_total', { reason: 'still_running' }), missed: delta('pathprobe_probes_skipped_total', { reason: 'missed' }) };
  const planned = (PATHS * windowS) / INTERVAL_S;
  const perPathBefore = new Map<string, number>();
  for (const s of select(before, 'pathprobe_probes_total')) perPathBefore.set(s.labels.path!, (perPathBefore.get(s.labels.path!) ?? 0) + s.value);
  const perPathAfter = new Map<string, number>();
  for (const s of select(after, 'pathprobe_probes_total')) perPathAfter.set(s.labels.path!, (perPathAfter.get(s.labels.path!) ?? 0) + s.value);
  const unprobed = [...perPathAfter].filter(([name, n]) => n <= (perPathBefore.get(name) ?? 0)).map(([name]) => name);
  const ms = (xs: Fetched[]) => {
    const decoded = xs.find((x) => x.decoded !== undefined)?.decoded ?? 0;
    return `${xs.length} requests, p50 ${quantile(xs.map((x) => x.ms), 0.5).toFixed(0)} ms, p99 ${quantile(xs.map((x) => x.ms), 0.99).toFixed(0)} ms, ${(decoded / 1e6).toFixed(1)} MB each (${((xs[0]?.bytes ?? 0) / 1e6).toFixed(2)} MB gzip)`;
  };
  t.comment(`window ${windowS.toFixed(1)} s, ${PATHS} paths every ${INTERVAL_S} s: ${done} probes done, ${JSON.stringify(skipped)} skipped, ~${planned.toFixed(0)} planned`);
  t.comment(`/metrics: ${ms(results.metrics!)}; status page: ${ms(results.page!)}`);
  t.comment(`scheduler lag over ${lagRuns} runs: p50 <= ${(p50! * 1000).toFixed(1)} ms, p99 <= ${(p99! * 1000).toFixed(1)} ms (histogram bucket bounds)`);
  t.comment(`lag histogram over the window (le ms: runs): ${[...lag].sort((a, b) => a[0] - b[0]).map(([le, n]) => `${le * 1000}: ${n}`).join(', ')}`);
  t.comment(`agent CPU ${(delta('process_cpu_seconds_total') / windowS * 100).toFixed(0)}%, resident ${(sum(after, 'process_resident_memory_bytes') / 1e6).toFixed(0)} MB`);

  t.same(failures.slice(0, 5), [], `no failed or non-200 request (${failures.length} failures)`);
  t.ok(results.metrics!.length >= SCRAPERS / 2 && results.page!.length >= SCRAPERS / 2, 'every client got answers');
  t.ok(unprobed.length <= PATHS * (1 - PROBED_SHARE), `at least ${PROBED_SHARE * 100}% of the paths probed during the window (${unprobed.length} not: ${unprobed.slice(0, 3).join(', ')})`);
  // The exact accounting of planned runs is accounting.test.ts: here the two scrapes that bound
  // the window are themselves late by seconds under load, so only the figures are printed.
  if (LAG_P99_MS !== undefined) t.ok(p99 !== undefined && p99 * 1000 <= LAG_P99_MS, `scheduler lag p99 <= ${LAG_P99_MS} ms`);
  else t.ok(p50 !== undefined && p50 * 1000 <= CI_LAG_P50_MS, `scheduler lag p50 <= ${CI_LAG_P50_MS} ms (loose CI bound; set LOAD_LAG_P99_MS for the target)`);
  agent.child.kill('SIGTERM');
  t.equal((await agent.exited).code, 0, 'clean exit');
});

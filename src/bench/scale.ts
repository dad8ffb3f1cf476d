// Sections 2–4 on one agent process: scale (10,000 paths at 10 s), accuracy of the processing
// phase against a target answering after exactly 50 ms under that load, and a catalog reload.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { startAgentProcess, type AgentRunOptions, type AgentProcess } from './agent-process.js';
import { mixedPaths, pathsOf, timeoutMsFor, writeCatalog, type BenchPath } from './catalog.js';
import { cpuSeconds, rssBytes } from './proc.js';
import { bucketDelta, histogramQuantile, lateRuns, parseHistogram, quantile, sumSamples, type LateRuns } from './stats.js';
import { SLOW_TARGET_MS, type Targets } from './targets.js';
import { SKIP_REASONS } from '../schedule/scheduler.js';

export interface ScaleSizes {
  paths: number;
  intervalS: number;
  /** Paths to the 50 ms target, each at 1 s. */
  accuracyPaths: number;
  /** Measured window, seconds. */
  windowS: number;
  /** Intervals observed on each side of the reload. */
  reloadWaitIntervals: number;
}

export interface ScaleResult {
  paths: number;
  intervalS: number;
  windowS: number;
  probes: number;
  expectedProbes: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  lagP50Ms: number;
  lagP99Ms: number;
  rssMiB: number;
  peakRssMiB: number;
  /** The 5 scrapes: before and after the window, then three back to back (`each`, in that order). */
  metricsMs: { median: number; max: number; each: number[] };
  metricsBytes: number;
  /** What the scrape carried (gzip). */
  metricsWireBytes: number;
  accuracy: {
    samples: number; errP50Ms: number; errP99Ms: number; errMaxMs: number;
    /** Every sample: when its result was recorded (the API's lastProbeAt, ms since the epoch) and its error. */
    raw: AccuracySample[];
    /**
     * The control: how late the 50 ms target's own answers left (its clock, from reading the
     * request to writing the answer) over the same window. What it cannot see (a request waiting
     * to be read) is in the agent's error too.
     */
    targetLateP50Ms: number;
    targetLateP99Ms: number;
    targetLateMaxMs: number;
  };
  /** Diagnosis from the agent's default metrics over the window. */
  agent: { cpuPercent: number; heapUsedMiB: number; eventLoopLagMaxMs: number; eventLoopLagP99Ms: number; gcSeconds: Record<string, number> };
  reload: {
    applyMs: number;
    added: number;
    changed: number;
    removed: number;
    unchangedChecked: number;
    expectedRuns: number;
    actualRuns: number;
    lost: number;
    skippedDuring: number;
    skippedDuringByReason: Record<string, number>;
    /** Runs started from just before the rename to a few intervals after it, and how late the latest of them was. */
    lateDuring: LateRuns;
  };
}

/**
 * One scrape as Prometheus makes it (Accept-Encoding: gzip), timed from the request to the last
 * byte received (what scrape_duration_seconds covers, parsing aside); the body is decoded after
 * the clock stops, so the bench's own decoding is not counted as the agent's.
 */
async function timedScrape(url: string): Promise<{ text: string; ms: number; bytes: number; wireBytes: number }> {
  const t0 = performance.now();
  const { chunks, encoding } = await new Promise<{ chunks: Buffer[]; encoding: string | undefined }>((resolve, reject) => {
    http.get(`${url}metrics`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const got: Buffer[] = [];
      res.on('data', (chunk: Buffer) => got.push(chunk));
      res.on('end', () => (res.statusCode === 200
        ? resolve({ chunks: got, encoding: res.headers['content-encoding'] })
        : reject(new Error(`/metrics: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    }).on('error', reject);
  });
  const ms = performance.now() - t0;
  const wire = Buffer.concat(chunks);
  const body = encoding === 'gzip' ? gunzipSync(wire) : wire;
  return { text: body.toString('utf8'), ms, bytes: body.length, wireBytes: wire.length };
}

/** One processing-phase sample of a slow path. */
export interface AccuracySample {
  /** When the agent recorded the probe's result, ms since the epoch (lastProbeAt). */
  at: number;
  /** Reported processing phase less the target's 50 ms, ms. */
  errMs: number;
}

/** Collects processing-phase samples of the slow paths until `stop` aborts. */
async function pollProcessing(agent: AgentProcess, names: string[], stop: AbortSignal): Promise<AccuracySample[]> {
  const seen = new Map<string, string>();
  const samples: AccuracySample[] = [];
  const period = 1000 / names.length;
  let i = 0;
  while (!stop.aborted) {
    const name = names[i++ % names.length]!;
    try {
      const view = (await (await fetch(`${agent.url}api/v1/paths/${encodeURIComponent(name)}`)).json()) as {
        lastProbeAt: string | null; result: string | null; phases: Record<string, number>;
      };
      if (view.lastProbeAt && view.lastProbeAt !== seen.get(name) && view.result === 'ok' && view.phases.processing !== undefined) {
        seen.set(name, view.lastProbeAt);
        samples.push({ at: Date.parse(view.lastProbeAt), errMs: view.phases.processing * 1000 - SLOW_TARGET_MS });
      }
    } catch {
      // the agent is busy or stopping; the next poll tries again
    }
    await sleep(period);
  }
  return samples;
}

/**
 * The 50 ms target's own lateness for every request it read over the span of `samples` (its
 * record, by request arrival; results the poller did not see count too). NaN without samples.
 */
async function slowTargetLateness(targets: Targets, samples: AccuracySample[]) {
  if (samples.length === 0) return { targetLateP50Ms: NaN, targetLateP99Ms: NaN, targetLateMaxMs: NaN };
  const records = (await (await fetch(`http://127.0.0.1:${targets.slowStatsPort}/`)).json()) as Array<[number, number]>;
  // A sample is stamped when its result was recorded, ~50 ms after its request reached the target.
  const from = Math.min(...samples.map((s) => s.at)) - 2 * SLOW_TARGET_MS;
  const to = Math.max(...samples.map((s) => s.at));
  const late = records.filter(([at]) => at >= from && at <= to).map(([, ms]) => ms);
  return { targetLateP50Ms: quantile(late, 0.5), targetLateP99Ms: quantile(late, 0.99), targetLateMaxMs: late.length > 0 ? Math.max(...late) : NaN };
}

interface HistoryView { name: string; history: { at: string }[] }

/**
 * Runs of unchanged paths in [from, to]: expected from their fixed rate, actual from their history.
 * A path's slots are counted from its first run in the window to the window's end less
 * `slackMs` (a run started before then has finished by `to`), so a path that stops running
 * during the window loses every slot after its last run. `lost` sums, per path, the expected
 * slots that have no run.
 */
function countRuns(views: HistoryView[], unchanged: Set<string>, from: number, to: number, intervalMs: number, slackMs: number) {
  let expected = 0;
  let actual = 0;
  let lost = 0;
  let checked = 0;
  for (const v of views) {
    if (!unchanged.has(v.name)) continue;
    checked++;
    const times = v.history.map((h) => Date.parse(h.at)).filter((t) => t >= from && t <= to).sort((a, b) => a - b);
    // A path with no run at all in the window lost every slot in it.
    const slots = times.length === 0 ? Math.floor((to - from) / intervalMs) : Math.max(0, Math.floor((to - slackMs - times[0]!) / intervalMs) + 1);
    expected += slots;
    actual += times.length;
    lost += Math.max(0, slots - times.length);
  }
  return { expected, actual, lost, checked };
}

/** pathprobe_probes_skipped_total between two scrapes, by reason. */
function skippedByReason(before: string, after: string): Record<string, number> {
  return Object.fromEntries(SKIP_REASONS.map((reason) => {
    const of = (text: string): number => sumSamples(text, 'pathprobe_probes_skipped_total', (l) => l.includes(`reason="${reason}"`));
    return [reason, of(after) - of(before)];
  }));
}

/** Sections 2, 3 and 4. */
export async function scaleBench(sizes: ScaleSizes, targets: Targets, dir: string, agentOptions: AgentRunOptions = {}): Promise<ScaleResult> {
  const catalog = join(dir, 'scale.yaml');
  // The accuracy paths count in the total: a catalog file holds at most 10,000 paths.
  const load = mixedPaths('load', sizes.paths - sizes.accuracyPaths, sizes.intervalS);
  const slowUrl = `http://127.0.0.1:${targets.slowPort}/`;
  const slow: BenchPath[] = pathsOf('slow', 'http', sizes.accuracyPaths, 1).map((p) => ({ ...p, to: slowUrl }));
  writeCatalog(catalog, [...load, ...slow], targets);
  const agent = await startAgentProcess({ catalog, ...agentOptions });
  try {
    const intervalMs = sizes.intervalS * 1000;
    await sleep(intervalMs * 1.2); // every path has run once
    const before = await timedScrape(agent.url);
    const cpu0 = cpuSeconds(agent.pid);
    const stopPoll = new AbortController();
    const polling = pollProcessing(agent, slow.map((p) => p.name), stopPoll.signal);
    await sleep(sizes.windowS * 1000);
    stopPoll.abort();
    const cpuPercent = ((cpuSeconds(agent.pid) - cpu0) / sizes.windowS) * 100;
    const after = await timedScrape(agent.url);
    const samples = await polling;
    const targetLate = await slowTargetLateness(targets, samples);
    const rss = rssBytes(agent.pid);
    const scrapes = [before, after];
    for (let i = 0; i < 3; i++) scrapes.push(await timedScrape(agent.url));
    const lag = bucketDelta(parseHistogram(after.text, 'pathprobe_scheduler_lag_seconds'), parseHistogram(before.text, 'pathprobe_scheduler_lag_seconds'));
    const isLoad = (l: string): boolean => l.includes('path="load-');
    const probes = sumSamples(after.text, 'pathprobe_probes_total', isLoad) - sumSamples(before.text, 'pathprobe_probes_total', isLoad);
    const skipped = sumSamples(after.text, 'pathprobe_probes_skipped_total') - sumSamples(before.text, 'pathprobe_probes_skipped_total');
    const abs = samples.map((s) => Math.abs(s.errMs));

    // Reload: change every 10th path's interval, drop 1 %, add 1 %; the rest is unchanged.
    const next: BenchPath[] = [];
    const unchanged = new Set<string>();
    load.forEach((p, i) => {
      if (i % 100 === 1) return;
      next.push(i % 10 === 0 ? { ...p, intervalS: p.intervalS + 1 } : p);
      if (i % 10 !== 0) unchanged.add(p.name);
    });
    next.push(...mixedPaths('added', Math.ceil(load.length / 100), sizes.intervalS), ...slow);
    const reloadBefore = await timedScrape(agent.url);
    const applied = agent.waitForLog(['catalog reloaded', 'catalog reload rejected'], 60_000);
    const renamedAt = Date.now();
    writeCatalog(catalog, next, targets);
    const { line, seenAt } = await applied;
    if (line.msg !== 'catalog reloaded') throw new Error(`the changed catalog was rejected: ${JSON.stringify(line.errors)}`);
    await sleep((sizes.reloadWaitIntervals + 0.2) * intervalMs);
    const reloadAfter = await timedScrape(agent.url);
    const list = (await (await fetch(`${agent.url}api/v1/paths`)).json()) as { paths: HistoryView[] };
    const runs = countRuns(list.paths, unchanged, renamedAt - sizes.reloadWaitIntervals * intervalMs, renamedAt + sizes.reloadWaitIntervals * intervalMs, intervalMs, timeoutMsFor(sizes.intervalS) + 1000);
    const count = (k: string): number => (Array.isArray(line[k]) ? (line[k] as unknown[]).length : NaN);
    return {
      paths: sizes.paths,
      intervalS: sizes.intervalS,
      windowS: sizes.windowS,
      probes,
      expectedProbes: (load.length * sizes.windowS) / sizes.intervalS,
      skipped,
      skippedByReason: skippedByReason(before.text, after.text),
      lagP50Ms: histogramQuantile(lag, 0.5) * 1000,
      lagP99Ms: histogramQuantile(lag, 0.99) * 1000,
      rssMiB: rss / 2 ** 20,
      peakRssMiB: rssBytes(agent.pid, true) / 2 ** 20,
      metricsMs: { median: quantile(scrapes.map((s) => s.ms), 0.5), max: Math.max(...scrapes.map((s) => s.ms)), each: scrapes.map((s) => s.ms) },
      metricsBytes: after.bytes,
      metricsWireBytes: after.wireBytes,
      agent: {
        cpuPercent,
        heapUsedMiB: sumSamples(after.text, 'nodejs_heap_size_used_bytes') / 2 ** 20,
        eventLoopLagMaxMs: sumSamples(after.text, 'nodejs_eventloop_lag_max_seconds') * 1000,
        eventLoopLagP99Ms: sumSamples(after.text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
        gcSeconds: Object.fromEntries(['major', 'minor', 'incremental', 'weakcb'].map((kind) => {
          const of = (text: string): number => sumSamples(text, 'nodejs_gc_duration_seconds_sum', (l) => l.includes(`kind="${kind}"`));
          return [kind, of(after.text) - of(before.text)];
        })),
      },
      accuracy: { samples: samples.length, errP50Ms: quantile(abs, 0.5), errP99Ms: quantile(abs, 0.99), errMaxMs: Math.max(...abs), raw: samples, ...targetLate },
      reload: {
        applyMs: seenAt - renamedAt,
        added: count('added'),
        changed: count('changed'),
        removed: count('removed'),
        unchangedChecked: runs.checked,
        expectedRuns: runs.expected,
        actualRuns: runs.actual,
        lost: runs.lost,
        skippedDuring: sumSamples(reloadAfter.text, 'pathprobe_probes_skipped_total') - sumSamples(reloadBefore.text, 'pathprobe_probes_skipped_total'),
        skippedDuringByReason: skippedByReason(reloadBefore.text, reloadAfter.text),
        lateDuring: lateRuns(bucketDelta(parseHistogram(reloadAfter.text, 'pathprobe_scheduler_lag_seconds'), parseHistogram(reloadBefore.text, 'pathprobe_scheduler_lag_seconds'))),
      },
    };
  } finally {
    await agent.stop();
  }
}

// The per-path table writes the text prom-client wrote for the same series, renders the same
// bytes in its worker as on the agent's thread, and never lets a scrape see half of a result.
import t from 'tap';
import { Counter, Gauge, Registry } from 'prom-client';
import { RESULT_CLASSES, type ResultClass } from '../../src/classify/result-class.js';
import { AgentRegistry } from '../../src/metrics/agent-registry.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { LAST_PROBE, PATH_FAMILIES, RESULT, SLOTS, TOTAL } from '../../src/metrics/path-families.js';
import { PathSeries, pathInfoLabels, pathUpLabels } from '../../src/metrics/path-series.js';
import { PathTable, type SharedTable } from '../../src/metrics/path-table.js';
import { snapshot } from '../../src/metrics/path-render-worker.js';
import { Worker } from 'node:worker_threads';
import { PHASES, type Phase } from '../../src/probe/phases.js';
import type { PathSpec } from '../../src/catalog/types.js';
import { makePath } from '../fixtures/path-spec.js';

/** The same families written through prom-client, the way the agent wrote them before the table. */
class Reference {
  readonly registry = new Registry();
  private readonly g: Record<string, Gauge<string> | Counter<string>> = {};

  constructor() {
    for (const f of PATH_FAMILIES) {
      const labelNames = f.kind === 'info' ? Object.keys(pathInfoLabels(makePath('x')))
        : f.kind === 'up' ? Object.keys(pathUpLabels(makePath('x')))
          : f.kind === 'byKey' ? ['path', f.key] : ['path'];
      const options = { name: f.name, help: f.help, labelNames, registers: [this.registry] };
      this.g[f.name] = f.type === 'counter' ? new Counter(options) : new Gauge(options);
    }
  }

  gauge(name: string): Gauge<string> {
    return this.g[`pathprobe_${name}`] as Gauge<string>;
  }

  add(p: PathSpec): void {
    this.gauge('path_info').set(pathInfoLabels(p), 1);
    this.gauge('path_interval_seconds').set({ path: p.name }, p.intervalMs / 1000);
    for (const result of RESULT_CLASSES) (this.g.pathprobe_probes_total as Counter<string>).inc({ path: p.name, result }, 0);
  }

  remove(p: PathSpec): void {
    for (const metric of Object.values(this.g)) {
      const map = (metric as unknown as { hashMap: Record<string, { labels: Record<string, string> }> }).hashMap;
      for (const entry of Object.values(map)) if (entry.labels.path === p.name) metric.remove(entry.labels);
    }
  }

  result(p: PathSpec, result: ResultClass, phases: Partial<Record<Phase, number>>, up: boolean, atMs: number): void {
    this.gauge('path_up').set(pathUpLabels(p), up ? 1 : 0);
    for (const c of RESULT_CLASSES) this.gauge('path_result').set({ path: p.name, result: c }, c === result ? 1 : 0);
    (this.g.pathprobe_probes_total as Counter<string>).inc({ path: p.name, result });
    for (const phase of PHASES) {
      const v = phases[phase];
      if (v === undefined) this.gauge('probe_phase_seconds').remove({ path: p.name, phase });
      else this.gauge('probe_phase_seconds').set({ path: p.name, phase }, v);
    }
    this.gauge('path_last_probe_timestamp_seconds').set({ path: p.name }, atMs / 1000);
    if (up) this.gauge('path_last_success_timestamp_seconds').set({ path: p.name }, atMs / 1000);
  }
}

const FAMILY_NAMES = new Set(PATH_FAMILIES.map((f) => f.name));

/** Each family's HELP/TYPE header and its sorted sample lines (series order is not part of the format). */
function families(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const block of text.trim().split('\n\n')) {
    const lines = block.split('\n');
    const name = /^# HELP (\S+)/.exec(lines[0]!)?.[1];
    if (name === undefined || !FAMILY_NAMES.has(name)) continue;
    out.set(name, [...lines.slice(0, 2), ...lines.slice(2).sort()]);
  }
  return out;
}

/** A deterministic pseudo-random sequence (so a failure can be replayed). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** A table rendering in its worker, with every loss of the worker it reports. */
function withWorker(capacity?: number): { table: PathTable; lost: unknown[] } {
  const table = new PathTable(capacity);
  const lost: unknown[] = [];
  table.startWorker((error) => lost.push(error));
  return { table, lost };
}

t.test('same series and values as prom-client over adds, results, relabels and removals', async (t) => {
  const registry = new AgentRegistry();
  const series = new PathSeries(createMetrics(registry, { version: 't', defaultMetrics: false }));
  const ref = new Reference();
  const random = lcg(7);
  const odd = ['a"b', 'back\\slash', 'new\nline', 'ünïcode'];
  let catalog = Array.from({ length: 40 }, (_, i) => makePath(`p-${i}${i < odd.length ? odd[i] : ''}`, { owner: i % 3 ? `team-${i}` : undefined }));
  series.applyCatalog(catalog);
  for (const p of catalog) ref.add(p);
  for (let round = 0; round < 6; round++) {
    for (const p of catalog) {
      if (random() < 0.3) continue;
      const result = RESULT_CLASSES[Math.floor(random() * RESULT_CLASSES.length)]!;
      const phases: Partial<Record<Phase, number>> = {};
      for (const phase of PHASES) if (random() < 0.6) phases[phase] = Math.round(random() * 1e6) / 1e6;
      const outcome = { result, phases, durationSeconds: phases.total ?? 0.25, detail: '' };
      const at = 1_700_000_000_000 + round * 10_000 + Math.floor(random() * 1000);
      series.recordResult(p, outcome, result === 'ok', at);
      ref.result(p, result, { ...phases, total: phases.total ?? 0.25 }, result === 'ok', at);
    }
    t.same(families(await registry.metrics()), families(await ref.registry.metrics()), `round ${round}`);
    // Next catalog: drop a few, relabel a few (severity), add a few; freed rows are reused.
    const kept = catalog.filter(() => random() > 0.15);
    for (const p of catalog) if (!kept.includes(p)) ref.remove(p);
    const relabelled = kept.map((p) => (random() < 0.1 ? { ...p, severity: p.severity === 'critical' ? 'warning' as const : 'critical' as const } : p));
    for (const [i, p] of relabelled.entries()) {
      if (p === kept[i]) continue;
      ref.gauge('path_info').remove(pathInfoLabels(kept[i]!));
      ref.gauge('path_info').set(pathInfoLabels(p), 1);
      const up = (ref.gauge('path_up') as unknown as { hashMap: Record<string, { labels: Record<string, string>; value: number }> }).hashMap;
      const entry = Object.values(up).find((e) => e.labels.path === p.name);
      if (entry) {
        ref.gauge('path_up').remove(entry.labels);
        ref.gauge('path_up').set(pathUpLabels(p), entry.value);
      }
    }
    const added = Array.from({ length: 5 }, (_, i) => makePath(`new-${round}-${i}`, { intervalMs: 1000 * (i + 1) }));
    catalog = [...relabelled, ...added];
    series.applyCatalog(catalog);
    for (const p of added) ref.add(p);
  }
  t.same(families(await registry.metrics()), families(await ref.registry.metrics()), 'final catalog');
  t.equal(registry.paths.size, catalog.length, 'one row per path');
});

t.test('the worker renders the bytes this thread renders, as the table grows and rows are reused', async (t) => {
  const { table, lost } = withWorker(2);
  t.teardown(() => table.close());
  t.ok(table.offThread, 'rendering off-thread');
  const rows: number[] = [];
  for (let i = 0; i < 300; i++) {
    const row = table.addRow({ path: `p-${i}`, up: `path="p-${i}"`, info: `path="p-${i}",n="${i}"` });
    table.begin(row);
    table.set(row, TOTAL, i);
    if (i % 2) table.set(row, RESULT, 1);
    table.end(row);
    rows.push(row);
  }
  t.equal((await table.bytes('head\n', '\n')).toString(), `head\n${table.text()}\n`, 'after growing from 2 rows to 300');
  for (const row of rows.filter((_, i) => i % 3 === 0)) table.freeRow(row);
  for (let i = 0; i < 50; i++) table.addRow({ path: `q-${i}`, up: `path="q-${i}"`, info: `path="q-${i}"` });
  const text = table.text();
  t.equal((await table.bytes()).toString(), text, 'after freeing 100 rows and reusing 50');
  t.notMatch(text, /path="p-3"/, 'a freed row is gone');
  t.match(text, /^pathprobe_path_info\{path="q-49"\} 1$/m, 'a reused row has its new labels');
  t.equal(table.size, 250);
  t.same(lost, [], 'the worker ran every render (none fell back to this thread)');
  t.ok(table.offThread);
});

// End to end through the worker: every row rendered, each as one write left it. A torn copy is too
// rare here to be caught reliably (the copy passes a row in nanoseconds); the seqlock itself is
// proven by the snapshot test below, which fails without it.
t.test('renders asked for during a burst of writes are consistent per row', async (t) => {
  const { table, lost } = withWorker();
  t.teardown(() => table.close());
  const N = 2000;
  const rows = Array.from({ length: N }, (_, i) => table.addRow({ path: `p-${i}`, up: `path="p-${i}"`, info: `path="p-${i}"` }));
  const counts = new Array<number>(N).fill(0);
  // A row's invariants: exactly one class of the state set is 1, and the last-probe slot equals
  // the sum of the counters (both written in the same begin/end).
  const write = (i: number): void => {
    const row = rows[i]!;
    const c = counts[i]! % RESULT_CLASSES.length;
    const before = (c + RESULT_CLASSES.length - 1) % RESULT_CLASSES.length;
    table.begin(row);
    if (counts[i] === 0) for (let k = 0; k < RESULT_CLASSES.length; k++) table.set(row, RESULT + k, 0);
    table.set(row, RESULT + before, 0);
    table.set(row, RESULT + c, 1);
    table.add(row, TOTAL + c, 1);
    counts[i]!++;
    table.set(row, LAST_PROBE, counts[i]!);
    table.end(row);
  };
  for (let i = 0; i < N; i++) write(i);
  await table.bytes(); // the worker is up
  const renders: Promise<Buffer>[] = [];
  const deadline = performance.now() + 1500;
  let writes = 0;
  // Ask for renders while writing without yielding: the worker copies rows as they change. The
  // writes go round a few rows, so the copy meets one of them half-written in most renders.
  for (let k = 0; k < 40 && performance.now() < deadline; k++) {
    renders.push(table.bytes());
    const until = performance.now() + 20;
    while (performance.now() < until) {
      write(writes % 8);
      writes++;
    }
  }
  const texts = await Promise.all(renders);
  let torn = 0;
  let checked = 0;
  for (const text of texts.map(String)) {
    const ones = new Map<string, number>();
    const totals = new Map<string, number>();
    const last = new Map<string, number>();
    for (const m of text.matchAll(/^pathprobe_path_result\{path="([^"]+)",result="\w+"\} 1$/gm)) ones.set(m[1]!, (ones.get(m[1]!) ?? 0) + 1);
    for (const m of text.matchAll(/^pathprobe_probes_total\{path="([^"]+)",result="\w+"\} (\d+)$/gm)) totals.set(m[1]!, (totals.get(m[1]!) ?? 0) + Number(m[2]));
    for (const m of text.matchAll(/^pathprobe_path_last_probe_timestamp_seconds\{path="([^"]+)"\} (\d+)$/gm)) last.set(m[1]!, Number(m[2]));
    for (const [path, n] of last) {
      checked++;
      if (ones.get(path) !== 1 || totals.get(path) !== n) torn++;
    }
  }
  t.ok(writes > 10_000, `${writes} row writes during ${texts.length} renders`);
  t.ok(checked >= texts.length * (N - 8), `${checked} rows checked`);
  t.equal(torn, 0, 'no render saw a row half-written');
  t.same(lost, [], 'rendered by the worker');
});

t.test('snapshot: rows written by another thread meanwhile are copied whole or not at all', async (t) => {
  // A writer thread keeps writing 4 rows under the table's protocol (sequence number odd while it
  // writes; slot 1 and slot SLOTS-1 always equal): every snapshot taken meanwhile must keep them equal.
  const rows = 4;
  const shared: SharedTable = {
    values: new Float64Array(new SharedArrayBuffer(rows * SLOTS * 8)),
    present: new Uint8Array(new SharedArrayBuffer(rows * SLOTS)),
    gens: new Int32Array(new SharedArrayBuffer(rows * 4)),
    seq: new Int32Array(new SharedArrayBuffer(rows * 4)),
  };
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const writer = new Worker(`
    const { workerData: { shared, stop, slots, rows } } = require('node:worker_threads');
    const deadline = Date.now() + 10000;
    for (let n = 1; Atomics.load(stop, 0) === 0 && Date.now() < deadline; n++) {
      const r = n % rows;
      Atomics.add(shared.seq, r, 1);
      shared.values[r * slots + 1] = n;
      for (let i = 2; i < slots - 1; i++) shared.values[r * slots + i] = n;
      shared.values[r * slots + slots - 1] = n;
      Atomics.add(shared.seq, r, 1);
    }`, { eval: true, workerData: { shared, stop, slots: SLOTS, rows } });
  const exited = new Promise((resolve) => writer.once('exit', resolve));
  while (shared.values[SLOTS + 1] === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  let torn = 0;
  let moving = 0;
  let last = -1;
  // Until the writer has moved on during 5,000 snapshots (it shares two CPUs with other tests), at most 3 s.
  const deadline = performance.now() + 3000;
  let snapshots = 0;
  for (; snapshots < 2_000_000 && moving < 5000 && performance.now() < deadline; snapshots++) {
    const view = snapshot(shared, rows);
    for (let r = 0; r < rows; r++) if (view.values[r * SLOTS + 1] !== view.values[r * SLOTS + SLOTS - 1]) torn++;
    if (view.values[SLOTS + 1] !== last) moving++;
    last = view.values[SLOTS + 1]!;
  }
  Atomics.store(stop, 0, 1);
  await exited;
  t.ok(moving >= 1000, `the writer was writing during the snapshots (${moving} of ${snapshots} saw a new value)`);
  t.equal(torn, 0, 'no row copied half-written');
});

t.test('renders waiting on a worker that stops are made on this thread; later ones too', async (t) => {
  const { table, lost } = withWorker();
  const row = table.addRow({ path: 'p', up: 'path="p"', info: 'path="p"' });
  table.set(row, TOTAL, 3);
  const waiting = table.bytes();
  await table.close();
  t.equal((await waiting).toString(), table.text(), 'the waiting render');
  t.notOk(table.offThread);
  t.equal((await table.bytes()).toString(), table.text(), 'a render after the worker stopped');
  t.match(table.text(), /^pathprobe_probes_total\{path="p",result="ok"\} 3$/m);
  t.same(lost, [], 'close() is not reported as a lost worker');
});

t.test('a worker that dies is reported, and renders go on on this thread', async (t) => {
  const { table, lost } = withWorker();
  const row = table.addRow({ path: 'p', up: 'path="p"', info: 'path="p"' });
  table.set(row, TOTAL, 5);
  await table.bytes();
  t.same(lost, [], 'running');
  // Kill it from outside close(), as a crash would.
  await (table as unknown as { worker: Worker }).worker.terminate();
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(lost.length, 1, 'reported once');
  t.match(String(lost[0]), /render worker exited/);
  t.notOk(table.offThread);
  t.equal((await table.bytes()).toString(), table.text());
});

// The agent's per-path state in isolation, measured on the V8 heap after full GCs: the status
// store, the per-path series and the /metrics prefix cache, for N paths with R results each, and
// the main-thread cost of recording one result (status store + series).
//   node --expose-gc --import tsx src/bench/heap-parts.ts [paths=10000] [results=60]
import type { PathSpec } from '../catalog/types.js';
import type { ResultClass } from '../classify/result-class.js';
import type { ProbeOutcome } from '../probe/types.js';
import { StatusStore } from '../agent/status-store.js';
import { AgentRegistry } from '../metrics/agent-registry.js';
import { createMetrics } from '../metrics/metrics.js';
import { PathSeries } from '../metrics/path-series.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const heapMiB = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

const paths = Number(process.argv[2] ?? 10_000);
const perPath = Number(process.argv[3] ?? 60);
const checks = ['tcp', 'http', 'dns'] as const;
const specs: PathSpec[] = Array.from({ length: paths }, (_, i) => {
  const host = `svc-${i}.team-${i % 50}.svc.cluster.local`;
  const name = `load-${String(i).padStart(5, '0')}-${checks[i % 3]}`;
  return {
    name, baseName: name, source: { name: 'agent', namespace: 'bench', labels: {} }, check: checks[i % 3]!,
    target: `${host}:8080`, host, port: 8080, toNamespace: `team-${i % 50}`, expect: 'reachable',
    intervalMs: 10_000, timeoutMs: 5_000, severity: 'critical', location: { file: 'catalog.yaml', line: i + 1, col: 3 },
  };
});
const outcome = (result: ResultClass): ProbeOutcome => ({
  result,
  phases: result === 'ok' ? { resolve: 0.0011, connect: 0.0031, total: 0.0042 } : { resolve: 0.0009, total: 0.0012 },
  durationSeconds: result === 'ok' ? 0.0042 : 0.0012,
  detail: result === 'ok' ? 'connected to 10.96.41.7:8080' : 'connect to 10.96.41.7:8080: ECONNREFUSED',
});
const results: ResultClass[] = ['ok', 'ok', 'ok', 'refused', 'ok'];

const h0 = heapMiB();
const store = new StatusStore();
store.setCatalog(specs, 0);
const registry = new AgentRegistry();
const series = new PathSeries(createMetrics(registry, { version: 'bench', defaultMetrics: false }));
series.applyCatalog(specs);
const h1 = heapMiB();
for (let k = 0; k < perPath; k++) {
  for (const [i, spec] of specs.entries()) {
    const o = outcome(results[(k + i) % results.length]!);
    store.record(spec, o, 1.764e12 + k * 10_000);
    series.recordResult(spec, o, o.result === 'ok', 1.764e12 + k * 10_000);
  }
}
const h2 = heapMiB();
let bytes = 0;
bytes += (await registry.exposition()).length;
const h3 = heapMiB();
const t0 = performance.now();
for (let k = 0; k < 5; k++) {
  for (const spec of specs) {
    const o = outcome('ok');
    store.record(spec, o, 2e12 + k);
    series.recordResult(spec, o, true, 2e12 + k);
  }
}
const recordUs = ((performance.now() - t0) * 1000) / (5 * paths);
const r = (x: number): number => Math.round(x * 10) / 10;
console.log(JSON.stringify({
  paths, resultsPerPath: perPath,
  heapMiB: { afterCatalog: r(h1 - h0), afterResults: r(h2 - h0), afterScrape: r(h3 - h0) },
  exposition: bytes, recordResultUs: Math.round(recordUs * 100) / 100,
}));

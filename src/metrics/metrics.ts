// Every metric the agent exports (PRODUCT.md "Metrics"), created on an injected registry.
// The policy explainer's metrics (pathprobe_policy_verdict, pathprobe_path_ready_endpoints) live with it.
import { Counter, Gauge, Histogram, collectDefaultMetrics } from 'prom-client';
import type { AgentRegistry } from './agent-registry.js';
import type { PathTable } from './path-table.js';
import { SKIP_REASONS } from '../schedule/scheduler.js';

/** Labels of pathprobe_path_info; `control`, `owner`, `runbook_url` are '' when absent. */
export type PathInfoLabel =
  | 'path' | 'source' | 'from_namespace' | 'to_namespace' | 'target' | 'check'
  | 'expect' | 'control' | 'severity' | 'owner' | 'runbook_url';

/** Labels of pathprobe_path_up. */
export type PathUpLabel = 'path' | 'from_namespace' | 'to_namespace' | 'check' | 'expect' | 'severity';

/** pathprobe_probe_duration_seconds buckets: 1 ms to 10 s (a probe never outlives its timeout). */
export const PROBE_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** pathprobe_scheduler_lag_seconds buckets: the target is a p99 of 5 ms. */
export const SCHEDULER_LAG_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** prom-client default metrics promtool rejects (gauges with a _total suffix). */
const LINT_FAILING_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** The agent's metrics, typed by their label names. */
export interface AgentMetrics {
  registry: AgentRegistry;
  /**
   * The per-path families (pathprobe_path_info, _path_up, _path_result, _probes_total,
   * _probe_phase_seconds, _path_last_probe/_last_success_timestamp_seconds,
   * _path_interval_seconds): a table written by PathSeries (path-families.ts has the layout).
   */
  paths: PathTable;
  probeDurationSeconds: Histogram<'check' | 'result'>;
  buildInfo: Gauge<'version'>;
  catalogPaths: Gauge;
  catalogLastReloadSuccessful: Gauge;
  catalogLastReloadSuccessTimestampSeconds: Gauge;
  schedulerLagSeconds: Histogram;
  probesInFlight: Gauge;
  probesSkippedTotal: Counter<'reason'>;
}

/**
 * Creates every agent metric on `registry` (never the global one), plus process and Node.js
 * default metrics, and sets pathprobe_build_info{version} 1.
 */
export function createMetrics(registry: AgentRegistry, options: { version: string; defaultMetrics?: boolean }): AgentMetrics {
  const registers = [registry];
  if (options.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry });
    // Gauges named *_total break the exposition conventions (promtool check metrics); the
    // same counts remain available per type in nodejs_active_handles / _requests / _resources.
    for (const name of LINT_FAILING_DEFAULT_METRICS) registry.removeSingleMetric(name);
  }
  const metrics: AgentMetrics = {
    registry,
    paths: registry.paths,
    probeDurationSeconds: new Histogram({
      name: 'pathprobe_probe_duration_seconds',
      help: 'Probe duration over all paths, by check and result class, in seconds.',
      labelNames: ['check', 'result'],
      buckets: PROBE_DURATION_BUCKETS,
      registers,
    }),
    buildInfo: new Gauge({
      name: 'pathprobe_build_info',
      help: 'The running pathprobe version; always 1.',
      labelNames: ['version'],
      registers,
    }),
    catalogPaths: new Gauge({ name: 'pathprobe_catalog_paths', help: 'Paths this agent schedules from the current catalog.', registers }),
    catalogLastReloadSuccessful: new Gauge({
      name: 'pathprobe_catalog_last_reload_successful',
      help: '1 when the last catalog (re)load was valid, 0 when it was rejected and the last good catalog is kept.',
      registers,
    }),
    catalogLastReloadSuccessTimestampSeconds: new Gauge({
      name: 'pathprobe_catalog_last_reload_success_timestamp_seconds',
      help: 'Unix time of the last successful catalog load.',
      registers,
    }),
    schedulerLagSeconds: new Histogram({
      name: 'pathprobe_scheduler_lag_seconds',
      help: 'Actual minus planned start of each probe run, in seconds.',
      buckets: SCHEDULER_LAG_BUCKETS,
      registers,
    }),
    probesInFlight: new Gauge({ name: 'pathprobe_probes_in_flight', help: 'Probes running now.', registers }),
    probesSkippedTotal: new Counter({
      name: 'pathprobe_probes_skipped_total',
      help: 'Planned probe runs not started: max_in_flight (global cap reached), still_running (the previous run of the path had not finished) or missed (the slot had passed: process paused or event loop blocked).',
      labelNames: ['reason'],
      registers,
    }),
  };
  metrics.buildInfo.set({ version: options.version }, 1);
  for (const reason of SKIP_REASONS) metrics.probesSkippedTotal.inc({ reason }, 0);
  metrics.catalogPaths.set(0);
  metrics.probesInFlight.set(0);
  return metrics;
}

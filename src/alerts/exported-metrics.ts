// The metric names the rules and the dashboard may use: what the agent and the explainer export
// (PRODUCT.md "Metrics"), plus Prometheus' own `up`. Tests check every expression against it.

/** Metrics the agent exports (PRODUCT.md), histograms by their base name. */
export const AGENT_METRICS = [
  'pathprobe_path_info',
  'pathprobe_path_up',
  'pathprobe_path_result',
  'pathprobe_probes_total',
  'pathprobe_probe_phase_seconds',
  'pathprobe_probe_duration_seconds',
  'pathprobe_path_last_probe_timestamp_seconds',
  'pathprobe_path_last_success_timestamp_seconds',
  // Requested from the agent for PathProbeStale ("no fresh result for 3 intervals"): the path's
  // probe interval in seconds, one series per path, set whenever the catalog is (re)loaded.
  'pathprobe_path_interval_seconds',
  'pathprobe_build_info',
  'pathprobe_catalog_paths',
  'pathprobe_catalog_last_reload_successful',
  'pathprobe_catalog_last_reload_success_timestamp_seconds',
  'pathprobe_scheduler_lag_seconds',
  'pathprobe_probes_in_flight',
  'pathprobe_probes_skipped_total',
] as const;

/** Metrics the in-cluster policy explainer exports. */
export const EXPLAINER_METRICS = ['pathprobe_policy_verdict', 'pathprobe_path_ready_endpoints'] as const;

/** Histograms: they appear in PromQL as `<name>_bucket`, `_sum`, `_count`. */
export const HISTOGRAMS = ['pathprobe_probe_duration_seconds', 'pathprobe_scheduler_lag_seconds'] as const;

/** Series Prometheus itself writes for every scrape target. */
export const PROMETHEUS_METRICS = ['up'] as const;

/** Every metric name an expression may select, histogram series names included. */
export function allowedMetricNames(): Set<string> {
  const names = new Set<string>([...AGENT_METRICS, ...EXPLAINER_METRICS, ...PROMETHEUS_METRICS]);
  for (const h of HISTOGRAMS) for (const s of ['_bucket', '_sum', '_count']) names.add(h + s);
  return names;
}

const PROMQL_WORDS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless',
  'offset', 'inf', 'nan',
]);

/**
 * Metric names selected by a PromQL expression: identifiers that are neither functions
 * (followed by `(`), keywords, label names (inside `{}` or a `by (...)` list) nor strings.
 * A deliberately small scanner, good enough for the expressions this project writes.
 */
export function metricNamesIn(expr: string): string[] {
  const noStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const noMatchers = noStrings.replace(/\{[^}]*\}/g, '{}');
  const noLabelLists = noMatchers.replace(
    /\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g,
    '$1()',
  );
  const noDurations = noLabelLists
    .replace(/\[[^\]]*\]/g, '[]')
    .replace(/\boffset\s+-?[0-9a-z]+/g, '')
    .replace(/\b[0-9][0-9.]*(?:e[+-]?[0-9]+)?\b/gi, '0');
  const names = new Set<string>();
  for (const m of noDurations.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = m[0];
    const after = noDurations.slice((m.index ?? 0) + word.length).trimStart();
    const isCall = after.startsWith('(') || /^(by|without)\(\)/.test(after);
    if (PROMQL_WORDS.has(word.toLowerCase()) || isCall) continue;
    names.add(word);
  }
  return [...names].sort();
}

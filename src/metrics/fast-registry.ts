// A prom-client Registry whose text exposition of plain gauges and counters reuses each series'
// formatted `name{labels}` between scrapes. prom-client formats and escapes every label of every
// series on every scrape; at 10,000 paths (~350,000 series) that alone took most of a second and
// produced most of the garbage. The output is the same text: same lines, same order.
// metricsText() streams the same text in slices, so a scrape of a large agent neither holds back
// the scheduler's timers (scheduler lag) nor keeps a 20 MB string alive across minor GCs.
import { Counter, Gauge, Registry, type Metric } from 'prom-client';

import type { SeriesEntry } from './series-slot.js';

/** Series formatted between two turns of the event loop. */
export const SERIES_PER_SLICE = 2000;

/** The internals of a prom-client gauge or counter the fast path reads. */
interface PlainMetric {
  name: string;
  help: string;
  type: string;
  collect?: unknown;
  hashMap: Record<string, SeriesEntry>;
}

function escapeString(str: string): string {
  return str.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(value: string | number): string | number {
  return typeof value === 'string' ? escapeString(value).replace(/"/g, '\\"') : value;
}

/** prom-client's number format (util.getValueAsString). */
function valueString(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (!Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value}`;
}

function seriesPrefix(name: string, labels: Record<string, string | number>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(labels)) parts.push(`${k}="${escapeLabelValue(v)}"`);
  // One flat string (Array#join): a template literal leaves a tree of cons strings per series.
  return parts.length > 0 ? [name, '{', parts.join(','), '}'].join('') : name;
}

const BASE = Registry.prototype as unknown as { getMetricsAsString(this: Registry, metric: Metric): Promise<string> };

/** Registry with a cached exposition of gauges and counters (Prometheus text format only). */
export class FastRegistry extends Registry {
  private readonly prefixes = new WeakMap<object, Map<string, string>>();

  /** Replaces prom-client's (untyped) Registry#getMetricsAsString, which metrics() calls per metric. */
  async getMetricsAsString(metric: Metric): Promise<string> {
    let text = '';
    for await (const chunk of this.metricChunks(metric)) text += chunk;
    return text;
  }

  /**
   * The exposition (the exact text of metrics()) in chunks of at most SERIES_PER_SLICE series, made
   * as they are read: a scrape streams out a slice at a time instead of holding one large string,
   * so the event loop turns between slices (the scheduler's timers fire) and what a slice
   * allocates dies young (cheap minor GCs instead of copying a 20 MB string around).
   */
  async *metricsText(): AsyncGenerator<string> {
    // OpenMetrics joins metrics differently and ends with # EOF: metrics() has that framing.
    if (this.contentType !== Registry.PROMETHEUS_CONTENT_TYPE) {
      yield await this.metrics();
      return;
    }
    let first = true;
    for (const metric of this.getMetricsAsArray() as unknown as Metric[]) {
      if (!first) yield '\n\n';
      first = false;
      yield* this.metricChunks(metric);
    }
    yield '\n';
  }

  private async *metricChunks(metric: Metric): AsyncGenerator<string> {
    const plain = metric as unknown as PlainMetric;
    const fast = (metric instanceof Gauge || metric instanceof Counter)
      && !plain.collect
      && this.contentType === Registry.PROMETHEUS_CONTENT_TYPE
      && Object.keys((this as unknown as { _defaultLabels: object })._defaultLabels).length === 0;
    if (!fast) {
      yield await BASE.getMetricsAsString.call(this, metric);
      return;
    }
    const name = escapeString(plain.name);
    let text = `# HELP ${name} ${escapeString(plain.help)}\n# TYPE ${name} ${plain.type}`;
    let cached = this.prefixes.get(metric);
    if (!cached) this.prefixes.set(metric, (cached = new Map()));
    let count = 0;
    // The keys now: series added while the scrape is streamed appear in the next one.
    const hashes = Object.keys(plain.hashMap);
    for (const hash of hashes) {
      const entry = plain.hashMap[hash];
      if (entry === undefined) continue; // removed meanwhile
      let prefix = cached.get(hash);
      if (prefix === undefined) cached.set(hash, (prefix = seriesPrefix(name, entry.labels)));
      text += `\n${prefix} ${valueString(entry.value)}`;
      if (++count % SERIES_PER_SLICE === 0) {
        yield text;
        text = '';
      }
    }
    if (text !== '') yield text;
    // Series removed since (paths gone from the catalog) are dropped once they dominate the cache.
    if (cached.size > 2 * count + 1024) {
      for (const hash of cached.keys()) if (!(hash in plain.hashMap)) cached.delete(hash);
    }
  }
}

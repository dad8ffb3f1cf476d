// A small reader of the Prometheus text exposition for assertions: samples by name and labels,
// sums, and a histogram's share of observations at or below a bucket bound.

/** One sample line. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses every sample line (comments skipped); throws on a line that is neither. */
export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** Samples of one metric name whose labels include `match`. */
export function select(samples: Sample[], name: string, match: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

/** Sum of the selected samples. */
export function sum(samples: Sample[], name: string, match: Record<string, string> = {}): number {
  return select(samples, name, match).reduce((a, s) => a + s.value, 0);
}

/** The distinct values of `label` over the samples of `name`. */
export function labelValues(samples: Sample[], name: string, label: string): Set<string> {
  return new Set(select(samples, name).map((s) => s.labels[label]).filter((v): v is string => v !== undefined));
}

/** Cumulative bucket counts of an unlabelled histogram, by upper bound (+Inf included). */
export function histogramBuckets(samples: Sample[], name: string): Map<number, number> {
  const buckets = new Map<number, number>();
  for (const s of select(samples, `${name}_bucket`)) buckets.set(s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), s.value);
  return buckets;
}

/**
 * The smallest bucket bound holding at least `q` of the observations: an upper estimate of the
 * q-quantile at the histogram's resolution (undefined when it has no observations).
 */
export function quantileBound(buckets: Map<number, number>, q: number): number | undefined {
  const total = buckets.get(Infinity) ?? 0;
  if (total === 0) return undefined;
  for (const [le, count] of [...buckets].sort((a, b) => a[0] - b[0])) if (count >= q * total) return le;
  return Infinity;
}

/** Subtracts bucket counts: the observations between two scrapes. */
export function bucketDelta(after: Map<number, number>, before: Map<number, number>): Map<number, number> {
  return new Map([...after].map(([le, n]) => [le, n - (before.get(le) ?? 0)]));
}

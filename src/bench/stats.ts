// Small statistics for the benchmark: sample quantiles and Prometheus-histogram quantiles.

/** The q-quantile (0..1) of `values` by linear interpolation; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Cumulative bucket counts by upper bound (le), `+Inf` as Infinity. */
export type Buckets = Map<number, number>;

/** Reads the cumulative buckets of histogram `name` (no labels) from a text exposition. */
export function parseHistogram(text: string, name: string): Buckets {
  const buckets: Buckets = new Map();
  const re = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm');
  for (const m of text.matchAll(re)) buckets.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]));
  return buckets;
}

/** Sum of every sample of `name` (any labels) whose label text matches `labelFilter`. */
export function sumSamples(text: string, name: string, labelFilter?: (labels: string) => boolean): number {
  let sum = 0;
  const re = new RegExp(`^${name}(?:\\{([^}]*)\\})? (\\S+)$`, 'gm');
  for (const m of text.matchAll(re)) if (!labelFilter || labelFilter(m[1] ?? '')) sum += Number(m[2]);
  return sum;
}

/** later − earlier, bucket by bucket. */
export function bucketDelta(later: Buckets, earlier: Buckets): Buckets {
  const out: Buckets = new Map();
  for (const [le, n] of later) out.set(le, n - (earlier.get(le) ?? 0));
  return out;
}

/** histogram_quantile: linear interpolation inside the bucket holding rank q·count. */
export function histogramQuantile(buckets: Buckets, q: number): number {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Infinity) ?? 0;
  if (total === 0) return NaN;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const le of bounds) {
    const count = buckets.get(le)!;
    if (count >= rank) {
      if (le === Infinity) return prevBound;
      return prevBound + (le - prevBound) * ((rank - prevCount) / Math.max(count - prevCount, 1e-9));
    }
    prevBound = le;
    prevCount = count;
  }
  return prevBound;
}

/** Runs in a lag-histogram delta, how many started more than 25 ms late, and the bucket bound the latest fell under. */
export interface LateRuns {
  runs: number;
  over25ms: number;
  /** Upper bound (ms) of the highest bucket holding a run; Infinity past the last bound. */
  latestUnderMs: number;
}

/** LateRuns of a lag-histogram delta (seconds buckets). */
export function lateRuns(buckets: Buckets): LateRuns {
  const runs = buckets.get(Infinity) ?? 0;
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const latest = bounds.find((le) => buckets.get(le) === runs) ?? Infinity;
  return { runs, over25ms: runs - (buckets.get(0.025) ?? 0), latestUnderMs: latest * 1000 };
}

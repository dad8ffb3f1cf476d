// Observes a labelled prom-client histogram without its per-call garbage: prom-client's observe()
// hashes the labels into a new string and builds objects on every call (~400 bytes a probe at
// 1,000 probes a second). Here each label set's entry in the histogram's hashMap is found once,
// by a first observe() through prom-client, and later observations update it in place: the same
// sum, count and bucket counts prom-client would write, so the exposition is unchanged.
import type { Histogram } from 'prom-client';

/** A series as prom-client's histogram keeps it. */
interface HistogramEntry {
  labels: Record<string, string | number>;
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
}

interface HistogramInternals {
  hashMap: Record<string, HistogramEntry>;
  upperBounds: readonly number[];
}

export class HistogramSlots<L extends string> {
  private readonly internals: HistogramInternals;
  private map: Record<string, HistogramEntry>;
  private readonly entries: (HistogramEntry | undefined)[] = [];
  /** The bucket keys as prom-client stores them (String of each upper bound). */
  private readonly bucketKeys: string[];

  /** `labelsOf(key)`: the label set a key stands for (asked once per key, on its first observation). */
  constructor(private readonly histogram: Histogram<L>, private readonly labelsOf: (key: number) => Partial<Record<L, string>>) {
    this.internals = histogram as unknown as HistogramInternals;
    this.map = this.internals.hashMap;
    this.bucketKeys = this.internals.upperBounds.map(String);
  }

  /**
   * Observes `value` for the label set `key` (a small whole number) stands for: nothing is
   * allocated once the key has been seen.
   */
  observe(key: number, value: number): void {
    const map = this.internals.hashMap;
    if (map !== this.map) {
      // reset() replaced the map: every entry is new again.
      this.map = map;
      this.entries.length = 0;
    }
    const entry = this.entries[key];
    if (entry === undefined || !Number.isFinite(value)) {
      const labels = this.labelsOf(key);
      this.histogram.observe(labels, value);
      this.remember(key, labels);
      return;
    }
    entry.sum += value;
    entry.count += 1;
    const bounds = this.internals.upperBounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        entry.bucketValues[this.bucketKeys[i]!]! += 1;
        break;
      }
    }
  }

  private remember(key: number, labels: Partial<Record<L, string>>): void {
    const names = Object.keys(labels);
    for (const entry of Object.values(this.map)) {
      const l = entry.labels;
      if (Object.keys(l).length === names.length && names.every((n) => l[n] === labels[n as L])) {
        this.entries[key] = entry;
        return;
      }
    }
  }
}

// Writes to one series of a prom-client gauge or counter in place: the series' entry in the
// metric's hashMap is looked up once and then its value is set directly. prom-client's own
// set()/inc() build a hash string, and set() a new {value, labels} entry, on every write: at
// 10,000 paths and 1,000 probes/s that garbage (young-generation GC copying) drove the
// scheduler-lag tail. The exposition is unchanged: same entries, same labels, same values.
import type { Counter, Gauge } from 'prom-client';

/** One series as prom-client stores it. */
export interface SeriesEntry {
  value: number;
  labels: Record<string, string | number>;
}

type Plain = Gauge<string> | Counter<string>;

function hashMapOf(metric: Plain): Record<string, SeriesEntry> {
  return (metric as unknown as { hashMap: Record<string, SeriesEntry> }).hashMap;
}

/** prom-client's label hash (util.hashObject): `key:value,` over the sorted label names. */
export function seriesHash(labels: Record<string, string | number>): string {
  let hash = '';
  for (const key of Object.keys(labels).sort()) hash += `${key}:${labels[key]},`;
  return hash;
}

/**
 * A handle on one labelled series. `labels` is kept and shared with prom-client's entry (one
 * object per series, not one per write). The entry is re-found after a remove() or a reset of
 * the metric (its hashMap replaced).
 */
export class SeriesSlot {
  private entry: SeriesEntry | undefined;
  private map: Record<string, SeriesEntry> | undefined;

  constructor(
    private readonly metric: Plain,
    readonly labels: Record<string, string | number>,
  ) {}

  /** Sets the series to `value` (creates it when absent). */
  set(value: number): void {
    const entry = this.live();
    if (entry) entry.value = value;
    else this.create(value);
  }

  /** Adds `delta` (a counter's inc; creates the series at `delta` when absent). */
  add(delta: number): void {
    const entry = this.live();
    if (entry) entry.value += delta;
    else this.create(delta);
  }

  /** Removes the series from the exposition. */
  remove(): void {
    if (this.entry === undefined && this.map === hashMapOf(this.metric)) return;
    this.metric.remove(this.labels);
    this.entry = undefined;
    this.map = hashMapOf(this.metric);
  }

  private live(): SeriesEntry | undefined {
    return this.map === hashMapOf(this.metric) ? this.entry : undefined;
  }

  private create(value: number): void {
    if (typeof (this.metric as Gauge<string>).set === 'function') (this.metric as Gauge<string>).set(this.labels, value);
    else (this.metric as Counter<string>).inc(this.labels, value);
    const map = hashMapOf(this.metric);
    const entry = map[seriesHash(this.labels)];
    if (entry === undefined) throw new Error(`series ${JSON.stringify(this.labels)} not found after a write`);
    this.entry = entry;
    this.map = map;
  }
}

// Writes to labelled series of prom-client gauges and counters in place: each series' entry in
// its metric's hashMap is looked up once and then its value is set directly. prom-client's own
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

/** One owner's series (a path's): slot i is a series of the table's metric i. */
export interface SeriesRow {
  /** Per slot; the object is the one prom-client keeps (one per series, not one per write). */
  readonly labels: Record<string, string | number>[];
  /** Per slot: the live entry, once found. */
  readonly entries: (SeriesEntry | undefined)[];
  generation: number;
}

/**
 * A fixed layout of metrics (slot i writes to metrics[i]) shared by many rows, so a row costs
 * two small arrays. Entries found before a metric was reset (its hashMap replaced) are dropped.
 */
export class SeriesTable {
  private readonly maps: Record<string, SeriesEntry>[];
  private generation = 0;

  constructor(private readonly metrics: readonly Plain[]) {
    this.maps = metrics.map(hashMapOf);
  }

  row(labels: Record<string, string | number>[]): SeriesRow {
    if (labels.length !== this.metrics.length) throw new Error(`a row has ${this.metrics.length} slots`);
    return { labels, entries: labels.map(() => undefined), generation: this.generation };
  }

  /** Sets slot i to `value` (creates the series when absent). */
  set(row: SeriesRow, i: number, value: number): void {
    const entry = this.live(row, i);
    if (entry) entry.value = value;
    else this.create(row, i, value);
  }

  /** Adds `delta` to slot i (a counter's inc; creates the series at `delta` when absent). */
  add(row: SeriesRow, i: number, delta: number): void {
    const entry = this.live(row, i);
    if (entry) entry.value += delta;
    else this.create(row, i, delta);
  }

  /** Removes slot i's series from the exposition. */
  remove(row: SeriesRow, i: number): void {
    this.live(row, i);
    this.metrics[i]!.remove(row.labels[i]!);
    row.entries[i] = undefined;
  }

  private live(row: SeriesRow, i: number): SeriesEntry | undefined {
    const map = hashMapOf(this.metrics[i]!);
    if (map !== this.maps[i]) {
      this.maps[i] = map;
      this.generation++;
    }
    if (row.generation !== this.generation) {
      row.entries.fill(undefined);
      row.generation = this.generation;
    }
    return row.entries[i];
  }

  private create(row: SeriesRow, i: number, value: number): void {
    const metric = this.metrics[i]!;
    const labels = row.labels[i]!;
    if (typeof (metric as Gauge<string>).set === 'function') (metric as Gauge<string>).set(labels, value);
    else (metric as Counter<string>).inc(labels, value);
    const entry = hashMapOf(metric)[seriesHash(labels)];
    if (entry === undefined) throw new Error(`series ${JSON.stringify(labels)} not found after a write`);
    row.entries[i] = entry;
  }
}

// The per-path series of the agent's metrics: created from the catalog, updated per result,
// removed with the path. Label values come only from the catalog and the fixed sets. A path is one
// row of the PathTable (path-table.ts): a result is a few writes into shared typed arrays.
import { CHECK_KINDS, type PathSpec } from '../catalog/types.js';
import { RESULT_CLASSES, resultClassIndex } from '../classify/result-class.js';
import { PHASES } from '../probe/phases.js';
import type { ProbeOutcome } from '../probe/types.js';
import type { AgentMetrics, PathInfoLabel, PathUpLabel } from './metrics.js';
import { escapeLabelValue, formatLabels, INTERVAL, LAST_PROBE, LAST_SUCCESS, PHASE, RESULT, TOTAL, UP } from './path-families.js';
import type { PathTable } from './path-table.js';
import { HistogramSlots } from './histogram-slots.js';

type InfoLabels = Record<PathInfoLabel, string>;
type UpLabels = Record<PathUpLabel, string>;

/** A path's row and the label text it was written with. */
interface Tracked {
  row: number;
  info: string;
  up: string;
  /** Index in RESULT_CLASSES of the class pathprobe_path_result holds 1 for (its 12 series exist once set). */
  lastResult?: number;
}

/** Labels of pathprobe_path_info for a path. */
export function pathInfoLabels(path: PathSpec): InfoLabels {
  return {
    path: path.name,
    source: path.source.name,
    from_namespace: path.source.namespace,
    to_namespace: path.toNamespace,
    target: path.target,
    check: path.check,
    expect: path.expect,
    control: path.control ?? '',
    severity: path.severity,
    owner: path.owner ?? '',
    runbook_url: path.runbook ?? '',
  };
}

/** Labels of pathprobe_path_up for a path. */
export function pathUpLabels(path: PathSpec): UpLabels {
  return {
    path: path.name,
    from_namespace: path.source.namespace,
    to_namespace: path.toNamespace,
    check: path.check,
    expect: path.expect,
    severity: path.severity,
  };
}

/** Keeps the per-path series in step with the catalog and the results. */
export class PathSeries {
  private readonly tracked = new Map<string, Tracked>();
  private readonly table: PathTable;
  /** pathprobe_probe_duration_seconds, one key per check kind × result class. */
  private readonly durations: HistogramSlots<'check' | 'result'>;

  constructor(private readonly metrics: AgentMetrics) {
    this.table = metrics.paths;
    const classes = RESULT_CLASSES.length;
    this.durations = new HistogramSlots(metrics.probeDurationSeconds, (key) => ({
      check: CHECK_KINDS[Math.floor(key / classes)]!,
      result: RESULT_CLASSES[key % classes]!,
    }));
  }

  /**
   * Applies the paths this agent runs: new paths get their info series and zeroed counters
   * (so rate() works from the first scrape), changed labels replace their series, removed
   * paths lose every series.
   */
  applyCatalog(paths: readonly PathSpec[]): void {
    const { table } = this;
    const names = new Set(paths.map((p) => p.name));
    for (const [name, known] of [...this.tracked]) {
      if (names.has(name)) continue;
      table.freeRow(known.row);
      this.tracked.delete(name);
    }
    for (const path of paths) {
      const info = formatLabels(pathInfoLabels(path));
      const up = formatLabels(pathUpLabels(path));
      const known = this.tracked.get(path.name);
      if (!known) {
        const row = table.addRow({ path: escapeLabelValue(path.name), up, info });
        table.begin(row);
        table.set(row, INTERVAL, path.intervalMs / 1000);
        for (let i = 0; i < RESULT_CLASSES.length; i++) table.set(row, TOTAL + i, 0);
        table.end(row);
        this.tracked.set(path.name, { row, info, up });
        continue;
      }
      table.begin(known.row);
      table.set(known.row, INTERVAL, path.intervalMs / 1000);
      table.end(known.row);
      if (known.info !== info || known.up !== up) {
        known.info = info;
        known.up = up;
        table.setLabels(known.row, { path: escapeLabelValue(path.name), up, info });
      }
    }
    this.metrics.catalogPaths.set(this.tracked.size);
  }

  /** Records one probe result of a scheduled path; `atMs` is the epoch ms it finished. */
  recordResult(path: PathSpec, outcome: ProbeOutcome, up: boolean, atMs: number): void {
    const known = this.tracked.get(path.name);
    if (!known) return;
    const { table } = this;
    const { row } = known;
    const resultIndex = resultClassIndex(outcome.result);
    table.begin(row);
    table.set(row, UP, up ? 1 : 0);
    // The state set changes in two series at most: write only those once all 12 exist.
    if (known.lastResult === undefined) {
      for (let i = 0; i < RESULT_CLASSES.length; i++) table.set(row, RESULT + i, i === resultIndex ? 1 : 0);
    } else if (known.lastResult !== resultIndex) {
      table.set(row, RESULT + known.lastResult, 0);
      table.set(row, RESULT + resultIndex, 1);
    }
    known.lastResult = resultIndex;
    table.add(row, TOTAL + resultIndex, 1);
    for (let i = 0; i < PHASES.length; i++) {
      const phase = PHASES[i]!;
      const seconds = phase === 'total' ? (outcome.phases.total ?? outcome.durationSeconds) : outcome.phases[phase];
      // A phase the probe never reached must not keep the value of an earlier probe.
      if (seconds === undefined) table.clear(row, PHASE + i);
      else table.set(row, PHASE + i, seconds);
    }
    table.set(row, LAST_PROBE, atMs / 1000);
    if (up) table.set(row, LAST_SUCCESS, atMs / 1000);
    table.end(row);
    this.durations.observe(CHECK_KINDS.indexOf(path.check) * RESULT_CLASSES.length + resultIndex, outcome.durationSeconds);
  }
}

// The per-path series of the agent's metrics: created from the catalog, updated per result,
// removed with the path. Label values come only from the catalog and the fixed sets.
import type { PathSpec } from '../catalog/types.js';
import { RESULT_CLASSES } from '../classify/result-class.js';
import { PHASES } from '../probe/phases.js';
import type { ProbeOutcome } from '../probe/types.js';
import type { AgentMetrics, PathInfoLabel, PathUpLabel } from './metrics.js';
import { SeriesTable, type SeriesRow } from './series-slot.js';

type InfoLabels = Record<PathInfoLabel, string>;
type UpLabels = Record<PathUpLabel, string>;

/** A path's series, written in place through a row of the series table (layout below). */
interface Tracked {
  info: InfoLabels;
  up: UpLabels;
  row: SeriesRow;
  lastUp?: boolean;
  /** Index in RESULT_CLASSES of the class pathprobe_path_result holds 1 for (its 12 series exist once set). */
  lastResult?: number;
}

// Slots of a path's row: up, path_result × RESULT_CLASSES, probes_total × RESULT_CLASSES,
// phase_seconds × PHASES, last probe, last success, interval.
const UP = 0;
const RESULT = 1;
const TOTAL = RESULT + RESULT_CLASSES.length;
const PHASE = TOTAL + RESULT_CLASSES.length;
const LAST_PROBE = PHASE + PHASES.length;
const LAST_SUCCESS = LAST_PROBE + 1;
const INTERVAL = LAST_PROBE + 2;

function seriesTable(m: AgentMetrics): SeriesTable {
  return new SeriesTable([
    m.pathUp,
    ...RESULT_CLASSES.map(() => m.pathResult),
    ...RESULT_CLASSES.map(() => m.probesTotal),
    ...PHASES.map(() => m.probePhaseSeconds),
    m.pathLastProbeTimestampSeconds,
    m.pathLastSuccessTimestampSeconds,
    m.pathIntervalSeconds,
  ]);
}

/** A path's row labels: one object per series, shared where two metrics have the same labels. */
function rowLabels(name: string, up: UpLabels): Record<string, string>[] {
  const byResult = RESULT_CLASSES.map((result) => ({ path: name, result }));
  const byPath = { path: name };
  return [up, ...byResult, ...byResult, ...PHASES.map((phase) => ({ path: name, phase })), byPath, byPath, byPath];
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

const sameLabels = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.keys(a).every((k) => a[k] === b[k]);

/** Keeps the per-path series in step with the catalog and the results. */
export class PathSeries {
  private readonly tracked = new Map<string, Tracked>();
  private readonly table: SeriesTable;

  constructor(private readonly metrics: AgentMetrics) {
    this.table = seriesTable(metrics);
  }

  /**
   * Applies the paths this agent runs: new paths get their info series and zeroed counters
   * (so rate() works from the first scrape), changed labels replace their series, removed
   * paths lose every series.
   */
  applyCatalog(paths: readonly PathSpec[]): void {
    const m = this.metrics;
    const names = new Set(paths.map((p) => p.name));
    for (const name of [...this.tracked.keys()]) if (!names.has(name)) this.remove(name);
    for (const path of paths) {
      const info = pathInfoLabels(path);
      const up = pathUpLabels(path);
      const known = this.tracked.get(path.name);
      if (!known) {
        const row = this.table.row(rowLabels(path.name, up));
        this.table.set(row, INTERVAL, path.intervalMs / 1000);
        for (let i = 0; i < RESULT_CLASSES.length; i++) this.table.add(row, TOTAL + i, 0);
        m.pathInfo.set(info, 1);
        this.tracked.set(path.name, { info, up, row });
        continue;
      }
      this.table.set(known.row, INTERVAL, path.intervalMs / 1000);
      if (!sameLabels(known.info, info)) {
        m.pathInfo.remove(known.info);
        m.pathInfo.set(info, 1);
        known.info = info;
      }
      if (!sameLabels(known.up, up)) {
        this.table.remove(known.row, UP);
        known.up = up;
        known.row.labels[UP] = up;
        if (known.lastUp !== undefined) this.table.set(known.row, UP, known.lastUp ? 1 : 0);
      }
    }
    m.catalogPaths.set(this.tracked.size);
  }

  /** Records one probe result of a scheduled path; `atMs` is the epoch ms it finished. */
  recordResult(path: PathSpec, outcome: ProbeOutcome, up: boolean, atMs: number): void {
    const known = this.tracked.get(path.name);
    if (!known) return;
    const { table } = this;
    const row = known.row;
    known.lastUp = up;
    table.set(row, UP, up ? 1 : 0);
    const resultIndex = RESULT_CLASSES.indexOf(outcome.result);
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
      if (seconds === undefined) table.remove(row, PHASE + i);
      else table.set(row, PHASE + i, seconds);
    }
    this.metrics.probeDurationSeconds.observe({ check: path.check, result: outcome.result }, outcome.durationSeconds);
    table.set(row, LAST_PROBE, atMs / 1000);
    if (up) table.set(row, LAST_SUCCESS, atMs / 1000);
  }

  private remove(name: string): void {
    const known = this.tracked.get(name);
    if (!known) return;
    const m = this.metrics;
    m.pathInfo.remove(known.info);
    for (let i = 0; i < known.row.labels.length; i++) this.table.remove(known.row, i);
    this.tracked.delete(name);
  }
}

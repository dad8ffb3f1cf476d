// The per-path series of the agent's metrics: created from the catalog, updated per result,
// removed with the path. Label values come only from the catalog and the fixed sets.
import type { PathSpec } from '../catalog/types.js';
import { RESULT_CLASSES } from '../classify/result-class.js';
import { PHASES } from '../probe/phases.js';
import type { ProbeOutcome } from '../probe/types.js';
import type { AgentMetrics, PathInfoLabel, PathUpLabel } from './metrics.js';
import { SeriesSlot } from './series-slot.js';

type InfoLabels = Record<PathInfoLabel, string>;
type UpLabels = Record<PathUpLabel, string>;

/** A path's series, written in place (one labels object per series, no garbage per probe). */
interface Tracked {
  info: InfoLabels;
  up: UpLabels;
  upSlot: SeriesSlot;
  lastUp?: boolean;
  /** Index in RESULT_CLASSES of the class pathprobe_path_result holds 1 for (its 12 series exist once set). */
  lastResult?: number;
  /** pathprobe_path_result and pathprobe_probes_total per RESULT_CLASSES index (labels shared). */
  result: SeriesSlot[];
  total: SeriesSlot[];
  /** pathprobe_probe_phase_seconds per PHASES index. */
  phase: SeriesSlot[];
  lastProbe: SeriesSlot;
  lastSuccess: SeriesSlot;
  interval: SeriesSlot;
}

function track(m: AgentMetrics, name: string, info: InfoLabels, up: UpLabels): Tracked {
  const byPath = { path: name };
  const resultLabels = RESULT_CLASSES.map((result) => ({ path: name, result }));
  return {
    info,
    up,
    upSlot: new SeriesSlot(m.pathUp, up),
    result: resultLabels.map((l) => new SeriesSlot(m.pathResult, l)),
    total: resultLabels.map((l) => new SeriesSlot(m.probesTotal, l)),
    phase: PHASES.map((phase) => new SeriesSlot(m.probePhaseSeconds, { path: name, phase })),
    lastProbe: new SeriesSlot(m.pathLastProbeTimestampSeconds, byPath),
    lastSuccess: new SeriesSlot(m.pathLastSuccessTimestampSeconds, byPath),
    interval: new SeriesSlot(m.pathIntervalSeconds, byPath),
  };
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

  constructor(private readonly metrics: AgentMetrics) {}

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
        const fresh = track(m, path.name, info, up);
        fresh.interval.set(path.intervalMs / 1000);
        for (const total of fresh.total) total.add(0);
        m.pathInfo.set(info, 1);
        this.tracked.set(path.name, fresh);
        continue;
      }
      known.interval.set(path.intervalMs / 1000);
      if (!sameLabels(known.info, info)) {
        m.pathInfo.remove(known.info);
        m.pathInfo.set(info, 1);
        known.info = info;
      }
      if (!sameLabels(known.up, up)) {
        known.upSlot.remove();
        known.up = up;
        known.upSlot = new SeriesSlot(m.pathUp, up);
        if (known.lastUp !== undefined) known.upSlot.set(known.lastUp ? 1 : 0);
      }
    }
    m.catalogPaths.set(this.tracked.size);
  }

  /** Records one probe result of a scheduled path; `atMs` is the epoch ms it finished. */
  recordResult(path: PathSpec, outcome: ProbeOutcome, up: boolean, atMs: number): void {
    const known = this.tracked.get(path.name);
    if (!known) return;
    known.lastUp = up;
    known.upSlot.set(up ? 1 : 0);
    const resultIndex = RESULT_CLASSES.indexOf(outcome.result);
    // The state set changes in two series at most: write only those once all 12 exist.
    if (known.lastResult === undefined) {
      for (let i = 0; i < known.result.length; i++) known.result[i]!.set(i === resultIndex ? 1 : 0);
    } else if (known.lastResult !== resultIndex) {
      known.result[known.lastResult]!.set(0);
      known.result[resultIndex]!.set(1);
    }
    known.lastResult = resultIndex;
    known.total[resultIndex]!.add(1);
    for (let i = 0; i < PHASES.length; i++) {
      const phase = PHASES[i]!;
      const seconds = phase === 'total' ? (outcome.phases.total ?? outcome.durationSeconds) : outcome.phases[phase];
      // A phase the probe never reached must not keep the value of an earlier probe.
      if (seconds === undefined) known.phase[i]!.remove();
      else known.phase[i]!.set(seconds);
    }
    this.metrics.probeDurationSeconds.observe({ check: path.check, result: outcome.result }, outcome.durationSeconds);
    known.lastProbe.set(atMs / 1000);
    if (up) known.lastSuccess.set(atMs / 1000);
  }

  private remove(name: string): void {
    const known = this.tracked.get(name);
    if (!known) return;
    const m = this.metrics;
    m.pathInfo.remove(known.info);
    known.upSlot.remove();
    for (const slot of [...known.result, ...known.total, ...known.phase]) slot.remove();
    known.lastProbe.remove();
    known.lastSuccess.remove();
    known.interval.remove();
    this.tracked.delete(name);
  }
}

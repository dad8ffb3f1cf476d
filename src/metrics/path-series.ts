// The per-path series of the agent's metrics: created from the catalog, updated per result,
// removed with the path. Label values come only from the catalog and the fixed sets.
import type { PathSpec } from '../catalog/types.js';
import { RESULT_CLASSES } from '../classify/result-class.js';
import { PHASES } from '../probe/phases.js';
import type { ProbeOutcome } from '../probe/types.js';
import type { AgentMetrics, PathInfoLabel, PathUpLabel } from './metrics.js';

type InfoLabels = Record<PathInfoLabel, string>;
type UpLabels = Record<PathUpLabel, string>;

interface Tracked {
  info: InfoLabels;
  up: UpLabels;
  lastUp?: boolean;
  /** The result class pathprobe_path_result holds 1 for (its 12 series exist once set). */
  lastResult?: string;
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
      m.pathIntervalSeconds.set({ path: path.name }, path.intervalMs / 1000);
      if (!known) {
        for (const result of RESULT_CLASSES) m.probesTotal.inc({ path: path.name, result }, 0);
        m.pathInfo.set(info, 1);
        this.tracked.set(path.name, { info, up });
        continue;
      }
      if (!sameLabels(known.info, info)) {
        m.pathInfo.remove(known.info);
        m.pathInfo.set(info, 1);
        known.info = info;
      }
      if (!sameLabels(known.up, up)) {
        m.pathUp.remove(known.up);
        if (known.lastUp !== undefined) m.pathUp.set(up, known.lastUp ? 1 : 0);
        known.up = up;
      }
    }
    m.catalogPaths.set(this.tracked.size);
  }

  /** Records one probe result of a scheduled path; `atMs` is the epoch ms it finished. */
  recordResult(path: PathSpec, outcome: ProbeOutcome, up: boolean, atMs: number): void {
    const known = this.tracked.get(path.name);
    if (!known) return;
    const m = this.metrics;
    const name = path.name;
    known.lastUp = up;
    m.pathUp.set(known.up, up ? 1 : 0);
    // The state set changes in two series at most: write only those once all 12 exist.
    if (known.lastResult === undefined) {
      for (const result of RESULT_CLASSES) m.pathResult.set({ path: name, result }, result === outcome.result ? 1 : 0);
    } else if (known.lastResult !== outcome.result) {
      m.pathResult.set({ path: name, result: known.lastResult as ProbeOutcome['result'] }, 0);
      m.pathResult.set({ path: name, result: outcome.result }, 1);
    }
    known.lastResult = outcome.result;
    m.probesTotal.inc({ path: name, result: outcome.result });
    for (const phase of PHASES) {
      const seconds = phase === 'total' ? (outcome.phases.total ?? outcome.durationSeconds) : outcome.phases[phase];
      // A phase the probe never reached must not keep the value of an earlier probe.
      if (seconds === undefined) m.probePhaseSeconds.remove({ path: name, phase });
      else m.probePhaseSeconds.set({ path: name, phase }, seconds);
    }
    m.probeDurationSeconds.observe({ check: path.check, result: outcome.result }, outcome.durationSeconds);
    m.pathLastProbeTimestampSeconds.set({ path: name }, atMs / 1000);
    if (up) m.pathLastSuccessTimestampSeconds.set({ path: name }, atMs / 1000);
  }

  private remove(name: string): void {
    const known = this.tracked.get(name);
    if (!known) return;
    const m = this.metrics;
    m.pathInfo.remove(known.info);
    m.pathUp.remove(known.up);
    for (const result of RESULT_CLASSES) {
      m.pathResult.remove({ path: name, result });
      m.probesTotal.remove({ path: name, result });
    }
    for (const phase of PHASES) m.probePhaseSeconds.remove({ path: name, phase });
    m.pathLastProbeTimestampSeconds.remove({ path: name });
    m.pathLastSuccessTimestampSeconds.remove({ path: name });
    m.pathIntervalSeconds.remove({ path: name });
    this.tracked.delete(name);
  }
}

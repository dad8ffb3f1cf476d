// The agent's status store: per path the last outcome, state, change times and a bounded
// history. Written by the result flow, read by the server through StatusReader.
import type { PathSpec } from '../catalog/types.js';
import type { PhaseTimings } from '../probe/phases.js';
import type { ProbeOutcome } from '../probe/types.js';
import type { HistoryEntry, PathState, PathStatus, StatusReader } from './path-status.js';
import { behavedAsDeclared } from './judge.js';
import { HistoryRing } from './history-ring.js';

/** Default number of results kept per path. */
export const DEFAULT_HISTORY_LIMIT = 60;

/** What record() returns when no state changed (most probes): one shared empty list. */
const NO_CHANGES: readonly StateChange[] = Object.freeze([]);

/** A path whose state changed, with the epoch ms of the change. */
export interface StateChange {
  status: PathStatus;
  from: PathState;
  to: PathState;
  at: number;
}

/** The state a path is in, given its own status and its control's (when this agent runs it). */
export function deriveState(status: PathStatus, control: PathStatus | undefined): PathState {
  const last = status.last;
  if (!last) return 'pending';
  if (!last.up) return 'down';
  // A blocked path that "holds" proves nothing while its control cannot reach the destination
  // either: a dead destination must not make an isolation test green.
  if (status.spec.expect === 'blocked' && control && control.last?.up !== true) return 'inconclusive';
  return 'up';
}

/**
 * The outcome kept as a path's last: `kept` (the previous one, owned by the store) updated in place
 * from `next`, or a copy of `next` when there is none. A path's last outcome lives until the next
 * probe of the path (its interval, seconds); held as the prober made it, each probe's outcome,
 * phases object, detail text and address list outlive the young generation's collections and are
 * promoted to the old generation to die there. Copied into one long-lived object per path, the
 * prober's objects die young; the detail text and the address list are kept when equal to the
 * previous ones (the usual case: a healthy path says the same thing every time). Measured only
 * indirectly: an experiment that kept no phases or detail at all lowered promotion at 10,000 paths
 * from 2.05 to 1.63 MB/s in one `--trace-gc-nvp` run each, and runs of the same code differ by as much.
 */
function keepOutcome(kept: ProbeOutcome | undefined, next: ProbeOutcome): ProbeOutcome {
  if (kept === undefined) {
    return {
      result: next.result,
      phases: { ...next.phases },
      durationSeconds: next.durationSeconds,
      detail: next.detail,
      status: next.status,
      addresses: next.addresses === undefined ? undefined : [...next.addresses],
      outOfDescriptors: next.outOfDescriptors,
    };
  }
  kept.result = next.result;
  kept.phases = samePhaseNames(kept.phases, next.phases) ? Object.assign(kept.phases, next.phases) : { ...next.phases };
  kept.durationSeconds = next.durationSeconds;
  if (kept.detail !== next.detail) kept.detail = next.detail;
  kept.status = next.status;
  if (!sameStrings(kept.addresses, next.addresses)) kept.addresses = next.addresses === undefined ? undefined : [...next.addresses];
  kept.outOfDescriptors = next.outOfDescriptors;
  return kept;
}

function samePhaseNames(a: PhaseTimings, b: PhaseTimings): boolean {
  let n = 0;
  for (const phase in b) {
    if (!Object.hasOwn(a, phase)) return false;
    n++;
  }
  for (const _ in a) n--;
  return n === 0;
}

function sameStrings(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A path's status as the store keeps it: the history is read from a compact ring (built per read). */
class StoredStatus implements PathStatus {
  state: PathState = 'pending';
  last?: PathStatus['last'];
  lastChangeAt?: number;
  lastSuccessAt?: number;
  readonly ring: HistoryRing;

  constructor(public spec: PathSpec, historyLimit: number) {
    this.ring = new HistoryRing(historyLimit);
  }

  get history(): HistoryEntry[] {
    return this.ring.entries();
  }
}

/** In-memory status of every scheduled path. */
export class StatusStore implements StatusReader {
  private statuses = new Map<string, StoredStatus>();
  /** control path name → the blocked paths it controls. */
  private dependents = new Map<string, PathStatus[]>();
  private isReady = false;
  private readonly historyLimit: number;

  constructor(private readonly options: { source?: string; historyLimit?: number } = {}) {
    this.historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  }

  list(): PathStatus[] {
    return [...this.statuses.values()];
  }

  get(name: string): PathStatus | undefined {
    return this.statuses.get(name);
  }

  ready(): boolean {
    return this.isReady;
  }

  sourceFilter(): string | undefined {
    return this.options.source;
  }

  /** Marks the agent ready (a catalog is loaded and every path scheduled) or not. */
  setReady(ready: boolean): void {
    this.isReady = ready;
  }

  /**
   * Replaces the set of paths, in catalog order. Paths kept by name keep their results and
   * history (with the new spec); removed paths are forgotten. Returns state changes this causes
   * (a blocked path whose control appeared or vanished).
   */
  setCatalog(paths: readonly PathSpec[], atMs: number): StateChange[] {
    const next = new Map<string, StoredStatus>();
    for (const spec of paths) {
      if (next.has(spec.name)) continue;
      const known = this.statuses.get(spec.name);
      if (known) {
        known.spec = spec;
        if (known.last) known.last.up = behavedAsDeclared(spec.expect, known.last.outcome.result);
        next.set(spec.name, known);
      } else {
        next.set(spec.name, new StoredStatus(spec, this.historyLimit));
      }
    }
    this.statuses = next;
    this.dependents = new Map();
    for (const status of next.values()) {
      const control = status.spec.control;
      if (control !== undefined) this.dependents.set(control, [...(this.dependents.get(control) ?? []), status]);
    }
    const changes: StateChange[] = [];
    for (const status of next.values()) this.refresh(status, atMs, changes);
    return changes;
  }

  /**
   * Records a finished probe of `spec` at epoch ms `atMs`. Returns the state changes: the path's
   * own, and those of blocked paths it is the control of. Unknown paths are ignored.
   */
  record(spec: PathSpec, outcome: ProbeOutcome, atMs: number): readonly StateChange[] {
    const status = this.statuses.get(spec.name);
    if (!status) return NO_CHANGES;
    const up = behavedAsDeclared(status.spec.expect, outcome.result);
    // In place: the status lives long, a new object per probe would be promoted and die later.
    if (status.last) {
      status.last.outcome = keepOutcome(status.last.outcome, outcome);
      status.last.at = atMs;
      status.last.up = up;
    } else status.last = { outcome: keepOutcome(undefined, outcome), at: atMs, up };
    if (up) status.lastSuccessAt = atMs;
    status.ring.push(atMs, outcome.result, up, outcome.durationSeconds);
    // Most probes change no state: the array is made only when one does.
    let changes = this.refresh(status, atMs, undefined);
    const dependents = this.dependents.get(spec.name);
    if (dependents) for (const dependent of dependents) if (dependent !== status) changes = this.refresh(dependent, atMs, changes);
    return changes ?? NO_CHANGES;
  }

  /** Derives `status`'s state again; a change is appended to `changes` (made when undefined), which is returned. */
  private refresh(status: PathStatus, atMs: number, changes: StateChange[] | undefined): StateChange[] | undefined {
    const control = status.spec.control === undefined ? undefined : this.statuses.get(status.spec.control);
    const state = deriveState(status, control);
    if (state === status.state) return changes;
    const list = changes ?? [];
    list.push({ status, from: status.state, to: state, at: atMs });
    status.state = state;
    status.lastChangeAt = atMs;
    return list;
  }
}

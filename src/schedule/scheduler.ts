// The one scheduler of an agent: fixed-rate runs per path on a single min-heap timer, start
// times spread by name, a deadline per run, a global cap on runs in flight, live catalog updates.
import { getEventListeners } from 'node:events';
import type { PathSpec } from '../catalog/types.js';
import { deadlineError } from '../probe/deadline.js';
import type { ProbeOutcome } from '../probe/types.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { FALLBACK_MAX_IN_FLIGHT } from './in-flight-cap.js';
import { firstRunsMs } from './jitter.js';
import { MinHeap } from './min-heap.js';

/**
 * Why a planned run did not start (the `reason` label of pathprobe_probes_skipped_total):
 * `max_in_flight` the global cap was reached, `still_running` the path's previous run had not
 * finished, `missed` the slot had already passed when the scheduler got to it (process paused,
 * event loop blocked for longer than the interval).
 */
export const SKIP_REASONS = ['max_in_flight', 'still_running', 'missed'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** When a run was planned and when it actually started (monotonic ms). */
export interface RunTiming {
  plannedAt: number;
  startedAt: number;
  /** startedAt − plannedAt: the scheduler lag of this run. */
  lagMs: number;
}

/**
 * Runs one probe; must settle soon after `signal` aborts. `deadlineAt`, given when the scheduler
 * runs on the system clock, is the performance.now() ms at which the scheduler aborts `signal` with
 * deadlineError(path.timeoutMs): the probe may use `signal` as its deadline (ProbeContext.deadlineAt).
 * Successive runs of a path may get the same `signal` object: it is reused only when it never
 * aborted and the previous run left no 'abort' listener on it (see Scheduler.signalFor).
 */
export type ProbeTask = (path: PathSpec, signal: AbortSignal, deadlineAt?: number) => Promise<ProbeOutcome>;

/** How the scheduler reports; every hook is called synchronously from the scheduler. */
export interface SchedulerOptions {
  probe: ProbeTask;
  /** A finished run of a path that is still scheduled unchanged. */
  onResult(path: PathSpec, outcome: ProbeOutcome, timing: RunTiming): void;
  onStart?(path: PathSpec, timing: RunTiming): void;
  /** `count` planned runs of `path` were skipped for `reason` (more than 1 only for `missed`). */
  onSkip?(path: PathSpec, reason: SkipReason, count: number): void;
  onInFlightChange?(inFlight: number): void;
  /** A hook threw; the scheduler carries on. */
  onError?(error: unknown, path: PathSpec): void;
  clock?: Clock;
  /** Most runs in flight at once over all paths (default FALLBACK_MAX_IN_FLIGHT, 256). */
  maxInFlight?: number;
  /**
   * How many more file descriptors the process can open now (freeDescriptorsReader), if known.
   * Asked only within PRESSURE_WATCH_MS of a shortage: a run that would leave fewer than
   * PRESSURE_HEADROOM free is skipped (`max_in_flight`), so the server can still accept a scrape.
   */
  freeDescriptors?: () => number | undefined;
}

/** What an update changed, by path name. */
export interface UpdateSummary {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: string[];
}

/**
 * A scheduled path. It is its own start event in the heap (keyed by nextAt; one at a time): an
 * entry replaced or removed is inactive, and its event is dropped when it comes up.
 */
class Entry {
  active = true;
  run: Run | undefined = undefined;
  nextAt = 0;
  /** After an early first run (firstRunsMs), the phase slot the path's runs go on from. */
  slotAfterFirst: number | undefined = undefined;
  /** The controller of the last run, reused by the next when nothing is attached to it. */
  controller: AbortController | undefined = undefined;
  /** This entry's deadline event: one object for the entry's life, pushed once per run. */
  readonly deadlineEvent: DeadlineEvent = new DeadlineEvent(this);
  constructor(public path: PathSpec, readonly fingerprint: string) {}
}

/**
 * The deadline event of an entry's runs, keyed in the heap by the run's deadlineAt. It refers to
 * the entry, not the run: a heap event lives until its key comes up (the path's timeout, seconds),
 * and a run held that long by the heap outlived the young generation's collections and was
 * promoted to the old one, where it died: ~2,000 runs, their timings and promises, carried to the
 * next major collection at 10,000 paths. A run is now held only while in flight.
 */
class DeadlineEvent {
  constructor(readonly entry: Entry) {}
}

/** One run of a path. */
class Run {
  settled = false;
  dropped = false;
  done: Promise<void> = Promise.resolve();
  constructor(
    readonly entry: Entry,
    readonly path: PathSpec,
    readonly controller: AbortController,
    readonly timing: RunTiming,
    /** Monotonic ms at which the run is aborted: its DeadlineEvent's key. */
    readonly deadlineAt: number,
  ) {}
}

/** The run a deadline event keyed `at` is for, when it is still in flight. */
function runDueAt(event: DeadlineEvent, at: number): Run | undefined {
  const run = event.entry.run;
  return run !== undefined && !run.settled && run.deadlineAt === at ? run : undefined;
}

/** A heap event that no longer does anything: a settled run's deadline, an inactive entry's start. */
function isStale(event: Entry | DeadlineEvent, at: number): boolean {
  return event instanceof DeadlineEvent ? runDueAt(event, at) === undefined : !event.active;
}

/** Most planned starts handled in one turn of the event loop; a larger burst continues on the next. */
export const STARTS_PER_TURN = 100;

/** Runs kept free below the in-flight count when the process runs out of a resource (descriptors). */
export const PRESSURE_HEADROOM = 8;
/** Quiet time after the last shortage before the lowered cap grows again, by one run a second. */
export const PRESSURE_QUIET_MS = 5000;
/**
 * For this long after the last shortage, a run starts only while PRESSURE_HEADROOM descriptors are
 * free (SchedulerOptions.freeDescriptors). The lowered cap alone did not keep them free: the
 * probes took every descriptor a finished run released before the server's accept could, and a
 * starved agent answered no scrape for 20 s (test/reliability/fd-limit.test.ts on a loaded machine).
 */
export const PRESSURE_WATCH_MS = 60_000;

/** Identity of a path's behaviour: everything but where it was written. */
function fingerprintOf(path: PathSpec): string {
  return JSON.stringify(path, (key, value: unknown) => (key === 'location' ? undefined : value));
}

/** The paths to start anew (added or changed, with their fingerprints) and the names to stop. */
export interface PathPatch {
  upserts: PathSpec[];
  fingerprints: string[];
  removals: string[];
}

/** What replacing the paths fingerprinted in `known` (name → fingerprint) by `paths` changes. */
export interface PathChanges {
  summary: UpdateSummary;
  patch: PathPatch;
  /** The fingerprints of `paths`, by name: the `known` of the next diff. */
  next: Map<string, string>;
}

/**
 * Compares `paths` with `known`: unchanged paths (same spec apart from location) are left alone,
 * changed and added ones go into the patch, missing names are removed. The first path of a name wins.
 */
export function diffPaths(known: ReadonlyMap<string, string>, paths: readonly PathSpec[]): PathChanges {
  const summary: UpdateSummary = { added: [], changed: [], removed: [], unchanged: [] };
  const patch: PathPatch = { upserts: [], fingerprints: [], removals: [] };
  const next = new Map<string, string>();
  for (const path of paths) {
    if (next.has(path.name)) continue;
    const fingerprint = fingerprintOf(path);
    next.set(path.name, fingerprint);
    const previous = known.get(path.name);
    if (previous === fingerprint) {
      summary.unchanged.push(path.name);
      continue;
    }
    (previous === undefined ? summary.added : summary.changed).push(path.name);
    patch.upserts.push(path);
    patch.fingerprints.push(fingerprint);
  }
  for (const name of known.keys()) {
    if (next.has(name)) continue;
    summary.removed.push(name);
    patch.removals.push(name);
  }
  return { summary, patch, next };
}

function errorOutcome(error: unknown, seconds: number): ProbeOutcome {
  const message = error instanceof Error ? error.message : String(error);
  return { result: 'error', phases: { total: seconds }, durationSeconds: seconds, detail: `prober failed: ${message}` };
}

/** Fixed-rate scheduler of probe runs. */
export class Scheduler {
  private readonly clock: Clock;
  private readonly maxInFlight: number;
  /** The cap in force: maxInFlight, or lower after a resource shortage (see pressure()). */
  private cap: number;
  private lastPressureAt = -Infinity;
  private lastGrowAt = -Infinity;
  private readonly heap = new MinHeap<Entry | DeadlineEvent>();
  private entries = new Map<string, Entry>();
  private readonly inFlight = new Set<Run>();
  /** True on the system clock, whose now() is performance.now(): deadlines are passed to the probe. */
  private readonly realTime: boolean;
  private timer: TimerHandle | undefined;
  private armedAt: number | undefined;
  private stopping = false;
  private closed = false;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.realTime = this.clock === systemClock;
    this.maxInFlight = options.maxInFlight ?? FALLBACK_MAX_IN_FLIGHT;
    this.cap = this.maxInFlight;
  }

  /** The in-flight cap in force now. */
  get inFlightCap(): number {
    return this.cap;
  }

  /**
   * The process ran short of something every run needs (file descriptors: EMFILE). Lowers the cap
   * to PRESSURE_HEADROOM below the runs in flight now, so descriptors stay free for the server and
   * catalog reads; it grows back by one a second once PRESSURE_QUIET_MS pass without a shortage.
   */
  pressure(): void {
    const now = this.clock.now();
    this.lastPressureAt = now;
    this.lastGrowAt = now;
    this.cap = Math.max(1, Math.min(this.cap, this.inFlight.size - PRESSURE_HEADROOM));
  }

  /**
   * Within PRESSURE_WATCH_MS of a shortage, fewer than PRESSURE_HEADROOM descriptors are free while
   * runs are in flight. With none in flight the probes hold no descriptor, so one run may start:
   * whatever holds them (a reload's worker, the server's clients), the paths are not starved for good.
   */
  private shortOfDescriptors(now: number): boolean {
    if (this.inFlight.size === 0) return false;
    if (now - this.lastPressureAt >= PRESSURE_WATCH_MS || this.options.freeDescriptors === undefined) return false;
    const free = this.options.freeDescriptors();
    return free !== undefined && free < PRESSURE_HEADROOM;
  }

  private growCap(now: number): void {
    if (this.cap >= this.maxInFlight || now - this.lastPressureAt < PRESSURE_QUIET_MS) return;
    const steps = Math.floor((now - Math.max(this.lastGrowAt, this.lastPressureAt + PRESSURE_QUIET_MS)) / 1000);
    if (steps <= 0) return;
    this.cap = Math.min(this.maxInFlight, this.cap + steps);
    this.lastGrowAt = now;
  }

  /** Number of runs in flight now. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** The scheduled paths, in the order of the last update. */
  paths(): PathSpec[] {
    return [...this.entries.values()].map((e) => e.path);
  }

  /** Monotonic ms of the next planned start of `name`, if scheduled. */
  nextStartOf(name: string): number | undefined {
    return this.entries.get(name)?.nextAt;
  }

  /**
   * Applies a new set of paths. Unchanged paths (same spec apart from location) keep their
   * schedule and in-flight run; changed paths restart; removed paths stop and their in-flight
   * result is dropped.
   */
  update(paths: readonly PathSpec[]): UpdateSummary {
    if (this.stopping) throw new Error('scheduler is stopped');
    const known = new Map<string, string>();
    for (const [name, entry] of this.entries) known.set(name, entry.fingerprint);
    const { summary, patch } = diffPaths(known, paths);
    this.patch(patch);
    // Unchanged paths take the new spec objects (their location may have moved); the order is `paths`'.
    const next = new Map<string, Entry>();
    for (const path of paths) {
      const entry = this.entries.get(path.name);
      if (entry === undefined || next.has(path.name)) continue;
      entry.path = path;
      next.set(path.name, entry);
    }
    this.entries = next;
    return summary;
  }

  /**
   * Applies a change computed by diffPaths against this scheduler's paths (by a caller that keeps
   * their fingerprints: the probe thread's agent): upserts start anew, removals stop. Paths not
   * named keep everything, their spec objects included.
   */
  patch(patch: PathPatch): void {
    if (this.stopping) throw new Error('scheduler is stopped');
    const now = this.clock.now();
    const { upserts, fingerprints } = patch;
    for (let i = 0; i < upserts.length; i++) {
      const path = upserts[i]!;
      const existing = this.entries.get(path.name);
      if (existing) this.cancel(existing);
      const entry = new Entry(path, fingerprints[i]!);
      const runs = firstRunsMs(path.name, path.intervalMs, now);
      entry.nextAt = runs.first;
      entry.slotAfterFirst = runs.then;
      this.heap.push(entry.nextAt, entry);
      this.entries.set(path.name, entry);
    }
    for (const name of patch.removals) {
      const entry = this.entries.get(name);
      if (entry === undefined) continue;
      this.cancel(entry);
      this.entries.delete(name);
    }
    this.arm();
  }

  /**
   * Stops scheduling and waits for in-flight runs (their results are still delivered) up to
   * `timeoutMs`; then aborts the rest. Resolves to the number of runs abandoned.
   */
  async stop(timeoutMs = 5000): Promise<number> {
    this.stopping = true;
    if (this.inFlight.size > 0) {
      let handle: TimerHandle | undefined;
      const bound = new Promise<void>((resolve) => {
        handle = this.clock.setTimer(resolve, timeoutMs);
      });
      await Promise.race([Promise.all([...this.inFlight].map((r) => r.done)), bound]);
      if (handle !== undefined) this.clock.clearTimer(handle);
    }
    const abandoned = this.inFlight.size;
    for (const run of this.inFlight) {
      run.dropped = true;
      run.controller.abort(new Error('scheduler stopped'));
    }
    this.closed = true;
    this.disarm();
    return abandoned;
  }

  private cancel(entry: Entry): void {
    entry.active = false;
    const run = entry.run;
    if (run && !run.settled) {
      run.dropped = true;
      run.controller.abort(new Error('path removed or changed'));
    }
  }

  private arm(): void {
    if (this.closed) return;
    // Stale events at the head would only wake the loop for nothing (a settled run's deadline:
    // one wake-up per run before this): drop them now.
    const heap = this.heap;
    for (let head = heap.peek(); head !== undefined && isStale(head, heap.peekKey()!); head = heap.peek()) heap.pop();
    const at = heap.peekKey();
    if (at === this.armedAt) return;
    this.disarm();
    if (at === undefined) return;
    this.armedAt = at;
    this.timer = this.clock.setTimer(this.tick, at - this.clock.now());
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.armedAt = undefined;
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    this.armedAt = undefined;
    const now = this.clock.now();
    let starts = 0;
    for (let at = this.heap.peekKey(); at !== undefined && at <= now; at = this.heap.peekKey()) {
      const event = this.heap.pop()!;
      if (event instanceof DeadlineEvent) {
        const run = runDueAt(event, at);
        if (run !== undefined) run.controller.abort(deadlineError(run.path.timeoutMs));
      } else {
        this.due(event, at);
        // After a pause many slots are due at once: the rest wait for the next turn of the loop
        // (a 0 ms timer), so I/O and finished probes are served between slices of the burst.
        if (++starts >= STARTS_PER_TURN) break;
      }
    }
    this.arm();
  };

  private due(entry: Entry, plannedAt: number): void {
    if (this.stopping || !entry.active) return;
    // Fixed rate: the next start follows the planned start, not the finish; slots already
    // missed (process paused, loop overloaded) are skipped rather than fired in a burst.
    const interval = entry.path.intervalMs;
    const now = this.clock.now();
    let nextAt = entry.slotAfterFirst ?? plannedAt + interval;
    entry.slotAfterFirst = undefined;
    const missed = nextAt <= now ? Math.floor((now - nextAt) / interval + 1) : 0;
    nextAt += missed * interval;
    entry.nextAt = nextAt;
    this.heap.push(nextAt, entry);
    // Every planned slot is either started or counted: the ones skipped over are `missed`.
    if (missed > 0) this.skipped(entry.path, 'missed', missed);
    if (entry.run) {
      this.skipped(entry.path, 'still_running', 1);
      return;
    }
    this.growCap(now);
    if (this.inFlight.size >= this.cap || this.shortOfDescriptors(now)) this.skipped(entry.path, 'max_in_flight', 1);
    else this.start(entry, plannedAt);
  }

  private start(entry: Entry, plannedAt: number): void {
    const path = entry.path;
    const startedAt = this.clock.now();
    const timing: RunTiming = { plannedAt, startedAt, lagMs: startedAt - plannedAt };
    const controller = this.controllerFor(entry);
    const deadlineAt = startedAt + path.timeoutMs;
    const run = new Run(entry, path, controller, timing, deadlineAt);
    entry.run = run;
    this.inFlight.add(run);
    this.inFlightChanged(path);
    const onStart = this.options.onStart;
    if (onStart !== undefined) {
      try {
        onStart(path, timing);
      } catch (error) {
        this.hookFailed(error, path);
      }
    }
    this.heap.push(deadlineAt, entry.deadlineEvent);
    let pending: Promise<ProbeOutcome>;
    try {
      pending = this.options.probe(path, controller.signal, this.realTime ? deadlineAt : undefined);
    } catch (error) {
      pending = Promise.reject(error);
    }
    run.done = pending.then(
      (outcome) => this.finish(run, outcome),
      (error: unknown) => this.finish(run, errorOutcome(error, (this.clock.now() - startedAt) / 1000)),
    );
  }

  /**
   * The controller of a new run of `entry`: the previous run's when it never aborted and holds no
   * 'abort' listener (a finished prober removes its own), else a new one. A new AbortController
   * costs ~2 µs (its EventTarget); only the previous run could still hold the old signal, and it
   * has settled (runs of a path never overlap). An abort (deadline, removal, stop) retires it.
   */
  private controllerFor(entry: Entry): AbortController {
    const previous = entry.controller;
    if (previous !== undefined && !previous.signal.aborted && getEventListeners(previous.signal, 'abort').length === 0) return previous;
    const controller = new AbortController();
    entry.controller = controller;
    return controller;
  }

  private finish(run: Run, outcome: ProbeOutcome): void {
    run.settled = true;
    this.inFlight.delete(run);
    if (run.entry.run === run) run.entry.run = undefined;
    this.inFlightChanged(run.path);
    // The timer may be armed for this run's deadline (few paths): re-arm for the next real event.
    if (this.heap.peek() === run.entry.deadlineEvent) this.arm();
    if (run.dropped || !run.entry.active) return;
    try {
      this.options.onResult(run.path, outcome, run.timing);
    } catch (error) {
      this.hookFailed(error, run.path);
    }
  }

  // The hooks are called directly, not through a closure per call (four per run before).
  private inFlightChanged(path: PathSpec): void {
    const hook = this.options.onInFlightChange;
    if (hook === undefined) return;
    try {
      hook(this.inFlight.size);
    } catch (error) {
      this.hookFailed(error, path);
    }
  }

  private skipped(path: PathSpec, reason: SkipReason, count: number): void {
    const hook = this.options.onSkip;
    if (hook === undefined) return;
    try {
      hook(path, reason, count);
    } catch (error) {
      this.hookFailed(error, path);
    }
  }

  private hookFailed(error: unknown, path: PathSpec): void {
    if (this.options.onError) this.options.onError(error, path);
    else queueMicrotask(() => {
      throw error;
    });
  }
}

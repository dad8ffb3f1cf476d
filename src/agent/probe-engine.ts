// Where an agent's scheduler and probes run. ThreadEngine (the agent's default) runs them with the
// built-in probers on a probe thread of their own (probe-thread.ts), so that serving /metrics, the
// status page and the API, and the garbage those make, never delay a probe's start or the phase
// timings it reports. LocalEngine runs them on the caller's thread: a prober or clock given by the
// caller (tests, embedding) cannot cross to another thread, and it is the fallback when no thread
// can start or the probe thread dies. Both report through the same EngineHooks, called on the
// agent's thread.
import type { Worker } from 'node:worker_threads';
import type { PathSpec } from '../catalog/types.js';
import { runProbe } from '../probe/probers.js';
import type { ProbeContext, ProbeOutcome, Prober } from '../probe/types.js';
import type { Clock } from '../schedule/clock.js';
import { diffPaths, Scheduler, type PathPatch, type SkipReason, type UpdateSummary } from '../schedule/scheduler.js';
import { freeDescriptorsReader } from '../schedule/in-flight-cap.js';
import { siblingModule, startWorker } from '../worker-entry.js';
import type { Yielded } from './thread-priority.js';

/** What an engine reports, always on the agent's thread. */
export interface EngineHooks {
  /** A finished run of `path`, scheduled unchanged since the run started; `lagMs` its start's lateness. */
  result(path: PathSpec, outcome: ProbeOutcome, lagMs: number): void;
  /** A run started `lagMs` after its planned time. */
  started(lagMs: number): void;
  /** `count` planned runs of `path` were skipped for `reason`. */
  skipped(path: PathSpec, reason: SkipReason, count: number): void;
  /** Runs in flight now. */
  inFlight(count: number): void;
  /** A hook or the engine failed; probing carries on. */
  error(error: unknown, path: PathSpec | undefined): void;
  /** Out of file descriptors: the in-flight cap was lowered to `cap` (see Scheduler.pressure). */
  pressure(cap: number): void;
  /** The probe thread stopped or could not start: probes run on the agent's thread from now on. */
  lost?(error: unknown): void;
  /** The probe thread lowered the other threads' priority (EngineOptions.serveNice): its first sweep, and any later one that changed or failed something. */
  priority?(report: PriorityReport): void;
}

/** A sweep of yieldToThisThread on the probe thread; `done` undefined where threads cannot be listed (not Linux). */
export interface PriorityReport {
  nice: number;
  first: boolean;
  done: Yielded | undefined;
}

/** The scheduler of an agent, wherever it runs. */
export interface ProbeEngine {
  /**
   * Schedules `paths` (unchanged paths keep their schedule). `commit` is called exactly once, at
   * the point after which every result reported is of the new paths: the agent applies the
   * catalog to its status and series there.
   */
  update(paths: readonly PathSpec[], commit: () => void): Promise<UpdateSummary>;
  /** Stops scheduling, waits up to `timeoutMs` for runs in flight; resolves to the number abandoned. */
  stop(timeoutMs: number): Promise<number>;
  /** The scheduled paths (as of the last commit). */
  paths(): PathSpec[];
  /** Runs in flight now (as last reported, on a probe thread). */
  readonly inFlightCount: number;
  /** True while the scheduler runs on a probe thread of its own. */
  readonly offThread: boolean;
}

/** How an engine schedules. */
export interface EngineOptions {
  /** Most runs in flight at once. */
  maxInFlight: number;
  /** resolv.conf / hosts overrides handed to every probe. */
  probeContext?: Omit<ProbeContext, 'signal' | 'deadlineAt'>;
  /**
   * A probe thread sets the main thread and the threads started after it to this nice value
   * (thread-priority.ts), so that it gets the CPU first; 0 or absent leaves them. A LocalEngine
   * ignores it.
   */
  serveNice?: number;
}

/**
 * A Scheduler reporting to `hooks`, lowering its cap when a probe ran out of file descriptors.
 * The one place both engines build their scheduler (LocalEngine here, the probe thread there).
 */
export function hookedScheduler(prober: Prober, hooks: EngineHooks, options: EngineOptions & { clock?: Clock }): Scheduler {
  const context = options.probeContext ?? {};
  const scheduler: Scheduler = new Scheduler({
    ...(options.clock ? { clock: options.clock } : {}),
    maxInFlight: options.maxInFlight,
    // The real process's descriptors; a fake clock means a test driving the scheduler by hand.
    ...(options.clock ? {} : { freeDescriptors: freeDescriptorsReader() }),
    probe: (path, signal, deadlineAt) => prober(path, { ...context, signal, deadlineAt }),
    onResult: (path, outcome, timing) => {
      if (outcome.outOfDescriptors) {
        const before = scheduler.inFlightCap;
        scheduler.pressure();
        if (scheduler.inFlightCap < before) hooks.pressure(scheduler.inFlightCap);
      }
      hooks.result(path, outcome, timing.lagMs);
    },
    onStart: (_path, timing) => hooks.started(timing.lagMs),
    onSkip: (path, reason, count) => hooks.skipped(path, reason, count),
    onInFlightChange: (count) => hooks.inFlight(count),
    onError: (error, path) => hooks.error(error, path),
  });
  return scheduler;
}

/** The scheduler on this thread. */
export class LocalEngine implements ProbeEngine {
  readonly scheduler: Scheduler;
  readonly offThread = false;

  constructor(hooks: EngineHooks, options: EngineOptions & { prober?: Prober; clock?: Clock }) {
    this.scheduler = hookedScheduler(options.prober ?? runProbe, hooks, options);
  }

  update(paths: readonly PathSpec[], commit: () => void): Promise<UpdateSummary> {
    try {
      // Synchronously, before the scheduler changes: no result of the old paths can come after.
      commit();
      return Promise.resolve(this.scheduler.update(paths));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  stop(timeoutMs: number): Promise<number> {
    return this.scheduler.stop(timeoutMs);
  }

  paths(): PathSpec[] {
    return this.scheduler.paths();
  }

  get inFlightCount(): number {
    return this.scheduler.inFlightCount;
  }
}

/**
 * Messages to the probe thread. An update carries only what changed (diffPaths on the agent's
 * thread): at 10,000 paths, copying and comparing every spec took the probe thread 75–110 ms, a
 * pause in every probe's timing, for a reload that changes a tenth of them.
 */
export type ToProbeThread =
  | { t: 'update'; id: number; patch: PathPatch }
  | { t: 'stop'; id: number; timeoutMs: number };

/**
 * What the probe thread reports, batched (one message per PROBE_BATCH_MS at most): flat arrays,
 * which cost less to copy between threads than an object per event.
 */
export interface ProbeBatch {
  t: 'batch';
  /** [name, outcome, lagMs] per finished run. */
  results: unknown[];
  /** The lag of each run started. */
  lags: number[];
  /** [name, reason, count] per skip. */
  skips: unknown[];
  /** [error, name or null] per failure. */
  errors: unknown[];
  /** Runs in flight at the end of the batch, if it changed. */
  inFlight?: number;
  /** The lowest in-flight cap set by pressure in the batch, if any. */
  cap?: number;
  /** A priority sweep to report (see EngineHooks.priority). */
  priority?: PriorityReport;
}

/** Replies of the probe thread; every batch before a reply is flushed first. */
export type FromProbeThread =
  | ProbeBatch
  | { t: 'updated'; id: number }
  | { t: 'update-failed'; id: number; error: unknown }
  | { t: 'stopped'; id: number; abandoned: number };

/** The longest a report waits on the probe thread before it is sent. */
export const PROBE_BATCH_MS = 10;

const PROBE_THREAD = siblingModule(import.meta.url, 'probe-thread');
/** How long past its own stop timeout the probe thread's answer to stop is waited for. */
export const STOP_REPLY_GRACE_MS = 1000;

/** The probe thread's replies to a request (every FromProbeThread but a batch). */
type Reply = Exclude<FromProbeThread, ProbeBatch>;

/** A request the probe thread has not answered yet. */
interface Pending {
  /** Settles it from the probe thread's reply. */
  answer(reply: Reply): void;
  /** Runs it on the fallback engine instead (the probe thread was lost). */
  replay(local: LocalEngine): void;
}

/** The scheduler and the built-in probers on a probe thread (probe-thread.ts). */
export class ThreadEngine implements ProbeEngine {
  private worker: Worker | undefined;
  /** Set when the probe thread is lost: everything goes here from then on. */
  private local: LocalEngine | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** The paths committed last, by name. */
  private current = new Map<string, PathSpec>();
  /** The fingerprints of the paths sent last, by name: what the probe thread schedules. */
  private sent = new Map<string, string>();
  private reportedInFlight = 0;
  private stopping = false;

  constructor(private readonly hooks: EngineHooks, private readonly options: EngineOptions) {
    let worker: Worker;
    try {
      worker = startWorker(PROBE_THREAD, { workerData: options });
    } catch (error) {
      this.fallBack(error);
      return;
    }
    this.worker = worker;
    worker.unref();
    worker.on('message', (message: FromProbeThread) => this.receive(message));
    const lost = (error: unknown) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.fallBack(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the probe thread exited with code ${code}`)));
  }

  get offThread(): boolean {
    return this.worker !== undefined;
  }

  get inFlightCount(): number {
    return this.local ? this.local.inFlightCount : this.reportedInFlight;
  }

  paths(): PathSpec[] {
    return [...this.current.values()];
  }

  update(paths: readonly PathSpec[], commit: () => void): Promise<UpdateSummary> {
    if (this.stopping) return Promise.reject(new Error('scheduler is stopped'));
    const commitHere = () => {
      const current = new Map<string, PathSpec>();
      for (const path of paths) if (!current.has(path.name)) current.set(path.name, path);
      this.current = current;
      commit();
    };
    if (this.local) return this.local.update(paths, commitHere);
    const { summary, patch, next } = diffPaths(this.sent, paths);
    this.sent = next;
    return new Promise((resolve, reject) =>
      this.request({ t: 'update', id: 0, patch }, {
        answer: (reply) => {
          if (reply.t === 'update-failed') return reject(reply.error);
          try {
            commitHere();
          } catch (error) {
            // The probe thread runs the new paths already; the caller hears that applying them here failed.
            return reject(error);
          }
          resolve(summary);
        },
        replay: (local) => void local.update(paths, commitHere).then(resolve, reject),
      }),
    );
  }

  stop(timeoutMs: number): Promise<number> {
    this.stopping = true;
    if (this.local) return this.local.stop(timeoutMs);
    const worker = this.worker;
    if (worker === undefined) return Promise.resolve(0);
    let timer: NodeJS.Timeout | undefined;
    const stopped = new Promise<number>((resolve, reject) => {
      this.request({ t: 'stop', id: 0, timeoutMs }, {
        answer: (reply) => resolve(reply.t === 'stopped' ? reply.abandoned : 0),
        replay: (local) => void local.stop(timeoutMs).then(resolve, reject),
      });
      // A probe thread that does not answer (stuck in a synchronous loop) is ended anyway, so a
      // shutdown never outlasts its grace period: what it had in flight is abandoned, uncounted.
      timer = setTimeout(() => resolve(Number.NaN), timeoutMs + STOP_REPLY_GRACE_MS);
    });
    return stopped.finally(() => {
      clearTimeout(timer);
      // Its reply came after its last batch: nothing is lost by ending it now.
      this.worker = undefined;
      void worker.terminate();
    });
  }

  private request(message: ToProbeThread, pending: Pending): void {
    const id = this.nextId++;
    const worker = this.worker!;
    if (this.pending.size === 0) worker.ref();
    this.pending.set(id, pending);
    worker.postMessage({ ...message, id });
  }

  private receive(message: FromProbeThread): void {
    if (message.t === 'batch') return this.report(message);
    const pending = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker?.unref();
    pending?.answer(message);
  }

  /**
   * Hands a batch to the hooks, in the order the probe thread saw it. A hook that throws is
   * reported, and the rest of the batch still delivered. (Called ~100 times a second at 10,000
   * paths with ~10 results each: no closure per result.)
   */
  private report(batch: ProbeBatch): void {
    const { hooks, current } = this;
    for (const lag of batch.lags) hooks.started(lag);
    const { results, skips, errors } = batch;
    for (let i = 0; i < results.length; i += 3) {
      const path = current.get(results[i] as string);
      if (path === undefined) continue;
      try {
        hooks.result(path, results[i + 1] as ProbeOutcome, results[i + 2] as number);
      } catch (error) {
        hooks.error(error, path);
      }
    }
    for (let i = 0; i < skips.length; i += 3) {
      const path = current.get(skips[i] as string);
      if (path === undefined) continue;
      try {
        hooks.skipped(path, skips[i + 1] as SkipReason, skips[i + 2] as number);
      } catch (error) {
        hooks.error(error, path);
      }
    }
    for (let i = 0; i < errors.length; i += 2) hooks.error(errors[i], current.get(errors[i + 1] as string));
    if (batch.inFlight !== undefined) this.reportedInFlight = batch.inFlight;
    try {
      if (batch.cap !== undefined) hooks.pressure(batch.cap);
      if (batch.inFlight !== undefined) hooks.inFlight(batch.inFlight);
      if (batch.priority !== undefined) hooks.priority?.(batch.priority);
    } catch (error) {
      hooks.error(error, undefined);
    }
  }

  /**
   * No probe thread (it could not start, or died): a LocalEngine takes over the committed paths,
   * and the requests the thread had not answered are replayed on it, in order. Nothing the
   * catalog declares stops being probed.
   */
  private fallBack(error: unknown): void {
    if (this.local) return;
    this.reportedInFlight = 0;
    this.hooks.lost?.(error);
    const local = new LocalEngine(this.hooks, this.options);
    this.local = local;
    if (!this.stopping) local.update([...this.current.values()], () => undefined).catch((e: unknown) => this.hooks.error(e, undefined));
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const pending of waiting) pending.replay(local);
  }
}

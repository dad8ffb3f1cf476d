// Times the phases of one probe (resolve, connect, tls, processing, transfer) and builds the
// outcome with `total` and durationSeconds always filled. Phases repeated (redirect hops) add up.
import { performance } from 'node:perf_hooks';
import type { ResultClass } from '../classify/result-class.js';
import type { Phase, PhaseTimings } from './phases.js';
import type { ProbeOutcome } from './types.js';

/** A phase that can be entered (total is computed). */
export type TimedPhase = Exclude<Phase, 'total'>;

/** Stopwatch over the phases of one probe. */
export class PhaseClock {
  private readonly phases: PhaseTimings = {};
  private readonly startedAt = performance.now();
  private current: { phase: TimedPhase; since: number } | undefined;

  /** Ends the running phase (if any) and starts `phase`. */
  enter(phase: TimedPhase): void {
    this.stop();
    this.current = { phase, since: performance.now() };
  }

  /** Ends the running phase, adding its time to that phase's total. */
  stop(): void {
    if (!this.current) return;
    const { phase, since } = this.current;
    this.phases[phase] = (this.phases[phase] ?? 0) + (performance.now() - since) / 1000;
    this.current = undefined;
  }

  /** The phase running now, if any. */
  get running(): TimedPhase | undefined {
    return this.current?.phase;
  }

  /** Stops the clock and builds the outcome. */
  finish(result: ResultClass, detail: string, extra: Pick<ProbeOutcome, 'status' | 'addresses' | 'outOfDescriptors'> = {}): ProbeOutcome {
    this.stop();
    const total = (performance.now() - this.startedAt) / 1000;
    const outcome: ProbeOutcome = { result, phases: { ...this.phases, total }, durationSeconds: total, detail };
    if (extra.status !== undefined) outcome.status = extra.status;
    if (extra.addresses !== undefined) outcome.addresses = extra.addresses;
    if (extra.outOfDescriptors) outcome.outOfDescriptors = true;
    return outcome;
  }
}

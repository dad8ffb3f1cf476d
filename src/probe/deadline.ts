// One probe's deadline: the scheduler's signal, guarded by the path's own timeout so a prober
// returns on time even if the caller forgets to abort.
import { performance } from 'node:perf_hooks';

/** A deadline shared by every step of one probe. */
export interface Deadline {
  /** Aborts at the deadline (or when the caller's signal aborts). */
  readonly signal: AbortSignal;
  /** performance.now() value of the deadline. */
  readonly at: number;
  /** Milliseconds left (0 once passed). */
  remaining(): number;
  /** True once the deadline fired. */
  expired(): boolean;
  /** Frees the timer and the listener; call when the probe ends. */
  dispose(): void;
}

/** The abort reason of a probe deadline (its message shows in the outcome's detail). */
export function deadlineError(timeoutMs: number): DOMException {
  return new DOMException(`probe deadline of ${timeoutMs} ms reached`, 'TimeoutError');
}

/** A deadline that is the caller's own signal: nothing to free. */
class ParentDeadline implements Deadline {
  constructor(readonly signal: AbortSignal, readonly at: number) {}
  remaining(): number {
    return Math.max(0, this.at - performance.now());
  }
  expired(): boolean {
    return this.signal.aborted;
  }
  dispose(): void {}
}

/**
 * Starts a deadline `timeoutMs` from now that also follows `parent`. When the caller vouches that
 * `parent` itself aborts with deadlineError(timeoutMs) at `parentAt` (performance.now() ms; the
 * scheduler does, ProbeContext.deadlineAt) and that is no later than our own deadline would be,
 * `parent` is the deadline: no second controller, timer and listener per probe. Whichever fired
 * first was the deadline before too, with the same reason.
 */
export function startDeadline(parent: AbortSignal, timeoutMs: number, parentAt?: number): Deadline {
  const now = performance.now();
  if (parentAt !== undefined && parentAt <= now + timeoutMs) return new ParentDeadline(parent, parentAt);
  const controller = new AbortController();
  const at = now + timeoutMs;
  const fire = (): void => {
    if (!controller.signal.aborted) controller.abort(deadlineError(timeoutMs));
  };
  const timer = setTimeout(fire, Math.max(0, timeoutMs));
  parent.addEventListener('abort', fire, { once: true });
  if (parent.aborted) fire();
  return {
    signal: controller.signal,
    at,
    remaining: () => Math.max(0, at - performance.now()),
    expired: () => controller.signal.aborted,
    dispose: () => {
      clearTimeout(timer);
      parent.removeEventListener('abort', fire);
    },
  };
}

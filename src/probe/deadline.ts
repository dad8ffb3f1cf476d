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

/** Starts a deadline `timeoutMs` from now that also follows `parent`. */
export function startDeadline(parent: AbortSignal, timeoutMs: number): Deadline {
  const controller = new AbortController();
  const at = performance.now() + timeoutMs;
  const fire = (): void => {
    if (!controller.signal.aborted) {
      controller.abort(new DOMException(`probe deadline of ${timeoutMs} ms reached`, 'TimeoutError'));
    }
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

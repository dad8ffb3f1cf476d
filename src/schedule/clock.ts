// The monotonic clock the scheduler runs on, injected so tests can drive time by hand.

/** Opaque handle of a pending timer. */
export type TimerHandle = { readonly __timer: unique symbol };

/** A monotonic millisecond clock with one-shot timers. */
export interface Clock {
  /** Monotonic milliseconds (performance.now in production); never goes back. */
  now(): number;
  /** Calls `callback` once, no earlier than `delayMs` from now. */
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** The real clock: performance.now and setTimeout. */
export const systemClock: Clock = {
  now: () => performance.now(),
  // setTimeout works in whole milliseconds; rounding up avoids firing early and spinning.
  setTimer: (callback, delayMs) =>
    setTimeout(callback, Math.max(0, Math.ceil(delayMs))) as unknown as TimerHandle,
  clearTimer: (handle) => clearTimeout(handle as unknown as NodeJS.Timeout),
};

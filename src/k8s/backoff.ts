// Exponential backoff with jitter and a cap, for retrying the API server after errors.

/** Backoff settings; all durations in milliseconds. */
export interface BackoffOptions {
  /** First delay. Default 500. */
  initialMs?: number;
  /** Largest delay, whatever the number of consecutive errors. Default 30 000. */
  maxMs?: number;
  /** Growth per consecutive error. Default 2. */
  factor?: number;
  /** Source of randomness in [0, 1) (tests pin it). Default Math.random. */
  random?: () => number;
}

/**
 * "Equal jitter": the n-th consecutive delay is uniform in [d/2, d] with d = min(max, initial·factorⁿ),
 * so retries of many watchers spread out yet never collapse to zero. `reset()` after a success.
 */
export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly random: () => number;

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 500;
    this.maxMs = opts.maxMs ?? 30_000;
    this.factor = opts.factor ?? 2;
    this.random = opts.random ?? Math.random;
  }

  /** The delay before the next retry; each call counts one more consecutive error. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * this.factor ** this.attempt);
    this.attempt++;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  /** Consecutive errors so far. */
  get failures(): number {
    return this.attempt;
  }

  /** Back to the first delay. */
  reset(): void {
    this.attempt = 0;
  }
}

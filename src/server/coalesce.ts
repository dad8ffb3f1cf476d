// Shares one expensive render between the requests that want it at the same time: a request
// arriving while a render runs gets that render's result, and one arriving soon after the last
// render gets it too. Fifty clients scraping at once then cost one render, not fifty, and renders
// never take more than a bounded share of the event loop.

/** How long a finished render is reused. */
export interface CoalesceOptions {
  /** Reused for at least this many ms (default 0). */
  maxAgeMs?: number;
  /** And for at least this many times as long as it took to render (default 0): 1 keeps renders to half the loop's time at most. */
  costFactor?: number;
  /** A finished render is reused only while this returns what it did when the render started (compared with ===). */
  version?: () => unknown;
  /** Monotonic ms (default performance.now). */
  now?: () => number;
}

/** A render shared by concurrent callers and reused while younger than its options allow. */
export function coalesce<T>(render: () => Promise<T>, options: CoalesceOptions = {}): () => Promise<T> {
  const { maxAgeMs = 0, costFactor = 0, now = () => performance.now(), version = () => undefined } = options;
  let running: Promise<T> | undefined;
  let last: { value: T; at: number; tookMs: number; version: unknown } | undefined;
  return () => {
    if (running) return running;
    if (last && last.version === version() && now() - last.at < Math.max(maxAgeMs, costFactor * last.tookMs)) return Promise.resolve(last.value);
    const startedAt = now();
    const startVersion = version();
    const started = render().then(
      (value) => {
        const at = now();
        const kept = { value, at, tookMs: at - startedAt, version: startVersion };
        last = kept;
        running = undefined;
        // Not held past its reuse (a /metrics render is ~20 MB at 10,000 paths).
        setTimeout(() => {
          if (last === kept) last = undefined;
        }, Math.max(maxAgeMs, costFactor * kept.tookMs) + 1).unref();
        return value;
      },
      (error: unknown) => {
        running = undefined;
        throw error;
      },
    );
    running = started;
    return started;
  };
}

// Shares one expensive render between the requests that want it at the same time: a request
// arriving while a render runs gets that render's result, and one arriving within `maxAgeMs` of
// the last render gets it too. Fifty clients scraping at once then cost one render, not fifty.

/** A render shared by concurrent callers, reused for `maxAgeMs` after it finished (0: not reused). */
export function coalesce<T>(render: () => Promise<T>, maxAgeMs = 0, now: () => number = () => performance.now()): () => Promise<T> {
  let running: Promise<T> | undefined;
  let last: { value: T; at: number } | undefined;
  return () => {
    if (running) return running;
    if (last && maxAgeMs > 0 && now() - last.at < maxAgeMs) return Promise.resolve(last.value);
    const started = render().then(
      (value) => {
        last = { value, at: now() };
        running = undefined;
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

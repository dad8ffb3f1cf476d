// Bounded polling for tests: retries a probe until it yields a value or the deadline passes.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Resolves to the first truthy value of `probe` (`0`, `''` and `false` count as "not yet"); throws
 * naming `what` after `timeoutMs`.
 */
export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

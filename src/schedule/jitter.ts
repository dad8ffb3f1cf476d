// Deterministic start offsets: a path's runs land at a fixed phase of its interval, derived from
// its name, so thousands of paths do not fire together and restarts keep phase. A path probed
// less often than every minute gets one early run first, within a minute, also spread by name.

/** 32-bit FNV-1a hash of a string, finished with murmur3's mixer so that similar names
 * (path-1, path-2, ...) spread evenly over the high bits too. */
export function nameHash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Offset in [0, intervalMs) of `name` within its interval. */
export function phaseOffsetMs(name: string, intervalMs: number): number {
  return (nameHash32(name) / 0x1_0000_0000) * intervalMs;
}

/**
 * First planned start after `nowMs` (inclusive) that sits on the path's phase:
 * `k * intervalMs + offset` for the smallest such time ≥ nowMs.
 */
export function firstStartMs(name: string, intervalMs: number, nowMs: number): number {
  const offset = phaseOffsetMs(name, intervalMs);
  const k = Math.ceil((nowMs - offset) / intervalMs);
  return k * intervalMs + offset;
}

/** A path's first run comes within this long of it being scheduled (an agent start, a reload). */
export const FIRST_RUN_WITHIN_MS = 60_000;

/**
 * When a path scheduled at `nowMs` runs first (`first`), and, when that run is an early one off
 * its phase, the phase slot its runs go on from (`then`). A path whose next slot is more than
 * FIRST_RUN_WITHIN_MS away (a 1h path: up to an hour) runs first at a time spread by name over
 * the next minute: its result should not stay unknown for most of an interval after a restart or
 * a change, and PathProbeStale counts on a first result within 15 minutes.
 */
export function firstRunsMs(name: string, intervalMs: number, nowMs: number): { first: number; then: number | undefined } {
  const slot = firstStartMs(name, intervalMs, nowMs);
  if (slot - nowMs <= FIRST_RUN_WITHIN_MS) return { first: slot, then: undefined };
  return { first: nowMs + phaseOffsetMs(name, FIRST_RUN_WITHIN_MS), then: slot };
}

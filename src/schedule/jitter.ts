// Deterministic start offsets: a path's first run lands at a fixed phase of its interval,
// derived from its name, so thousands of paths do not fire together and restarts keep phase.

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

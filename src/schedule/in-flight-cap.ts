// The default cap on probe runs in flight, from the process's file-descriptor limit: every run
// holds a socket (two for some checks), and the server, the catalog watch and reloads need some too.
import { readFileSync } from 'node:fs';

/** Used when the limit cannot be read (not Linux, /proc not mounted, unlimited). */
export const FALLBACK_MAX_IN_FLIGHT = 256;
/** Upper bound of the derived cap, whatever the limit. */
export const CEILING_MAX_IN_FLIGHT = 1024;

/** The soft "Max open files" limit from a /proc/<pid>/limits text, if present and finite. */
export function softNofileLimit(limitsText: string): number | undefined {
  const match = /^Max open files\s+(\d+|unlimited)\s/m.exec(limitsText);
  if (!match || match[1] === 'unlimited') return undefined;
  const soft = Number(match[1]);
  return Number.isSafeInteger(soft) && soft > 0 ? soft : undefined;
}

/** min(1024, soft limit ÷ 2), at least 1; FALLBACK_MAX_IN_FLIGHT when the limit is unknown. */
export function maxInFlightFor(softLimit: number | undefined): number {
  if (softLimit === undefined) return FALLBACK_MAX_IN_FLIGHT;
  return Math.max(1, Math.min(CEILING_MAX_IN_FLIGHT, Math.floor(softLimit / 2)));
}

/** The default cap of this process, read from /proc/self/limits. */
export function defaultMaxInFlight(readLimits: () => string = () => readFileSync('/proc/self/limits', 'utf8')): number {
  let text: string;
  try {
    text = readLimits();
  } catch {
    return FALLBACK_MAX_IN_FLIGHT;
  }
  return maxInFlightFor(softNofileLimit(text));
}

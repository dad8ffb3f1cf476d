// The default cap on probe runs in flight, from the process's file-descriptor limit: every run
// holds a socket (two for some checks), and the server, the catalog watch and reloads need some too.
import { readdirSync, readFileSync } from 'node:fs';

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

/** How long a count of free descriptors is reused (reading /proc/self/fd costs ~0.1 ms per 100 fds). */
export const FREE_DESCRIPTORS_TTL_MS = 100;

/** What freeDescriptorsReader reads; the real files by default, for tests a fake. */
export interface DescriptorSource {
  limits(): string;
  fds(): string[];
  now(): number;
}

const PROC_SELF: DescriptorSource = {
  limits: () => readFileSync('/proc/self/limits', 'utf8'),
  fds: () => readdirSync('/proc/self/fd'),
  now: () => performance.now(),
};

/**
 * A function giving how many more descriptors this process can open now: the soft limit less the
 * descriptors numbered below it (one numbered above — opened before the limit was lowered — does
 * not take a free number). Counted at most every FREE_DESCRIPTORS_TTL_MS and the limit re-read
 * every second (`prlimit` can change it while the agent runs). Between counts, each answer takes
 * one off the count: the scheduler asks just before it starts a run, which opens a socket, and
 * without it a burst of starts within one count took every descriptor the count had seen free.
 * 0 when the count itself fails for want of a descriptor; undefined where it cannot be known
 * (no /proc, no finite limit).
 */
export function freeDescriptorsReader(source: DescriptorSource = PROC_SELF): () => number | undefined {
  let countedAt = -Infinity;
  let free: number | undefined;
  let limitAt = -Infinity;
  let limit: number | undefined;
  return () => {
    const now = source.now();
    if (now - countedAt >= FREE_DESCRIPTORS_TTL_MS) {
      countedAt = now;
      free = count(now);
    }
    if (free === undefined) return undefined;
    const answer = free;
    free = Math.max(0, free - 1);
    return answer;
  };

  function count(now: number): number | undefined {
    try {
      if (now - limitAt >= 1000) {
        limit = softNofileLimit(source.limits());
        limitAt = now;
      }
      if (limit === undefined) return undefined;
      let below = 0;
      for (const name of source.fds()) if (Number(name) < limit) below++;
      return Math.max(0, limit - below);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === 'EMFILE' || code === 'ENFILE' ? 0 : undefined;
    }
  }
}

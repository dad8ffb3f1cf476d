// Gives the calling thread the CPU first among the process's threads by lowering the priority
// (raising the nice value) of every other thread. Linux only: a thread's id is read from
// /proc/thread-self and the others from /proc/self/task; setpriority(2) on a thread id sets that
// thread alone. Raising a nice value needs no privilege (lowering one does), so it works in a
// container that drops every capability, and it is never undone.
//
// The probe thread calls it (probe-thread.ts): on a node whose CPUs are busy, the agent's serving
// thread, its metrics render worker and catalog parser then wait for the probes, not the other way
// round. Within a pod's cgroup this only orders the agent's own threads. The threads started before
// the probe thread (V8's helper threads, libuv's pool) are spared: V8's helpers
// do the probe thread's garbage collection with it (its scavenges are parallel; without helpers
// they took the scale bench's lag p99 from ~4 to 11 ms, docs/performance.md).
import { readdirSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The lowest priority there is (nice 19). */
export const LOWEST_PRIORITY = 19;

/** What a sweep did. */
export interface Yielded {
  /** The calling thread's id (a Linux TID). */
  thread: number;
  /** Threads given `nice` by this sweep. */
  lowered: number;
  /** Threads already at `nice` or lower (higher nice). */
  already: number;
  /** Threads left as they are because they are in `spare`. */
  spared: number;
  /** Threads whose priority could not be read or set (other than ones that ended meanwhile), with the first error. */
  failed: number;
  firstError?: string;
}

/** A nice value a thread may be given: a whole number from 0 to LOWEST_PRIORITY. */
export function isNiceValue(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) >= 0 && (n as number) <= LOWEST_PRIORITY;
}

/** Most listings of a sweep (see yieldToThisThread). */
const MAX_LISTINGS = 3;

/** The ids of this process's threads now, or undefined where they cannot be listed (not Linux). */
export function threadIds(): number[] | undefined {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return undefined;
  }
}

/** This thread's Linux thread id, or undefined where /proc/thread-self cannot be read. */
export function currentThreadId(): number | undefined {
  try {
    const id = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isSafeInteger(id) && id > 0 ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sets every other thread of this process but those in `spare` to `nice` where it runs at a
 * higher priority (a lower nice value); the calling thread keeps its own. Undefined where threads
 * cannot be listed (not Linux). A thread inherits its creator's nice value, so one started after
 * its creator was lowered is lowered too; one started between the listing and its creator's
 * lowering is not, so the threads are listed again until a listing shows none not seen before
 * (at most MAX_LISTINGS). Later threads need another call.
 */
export function yieldToThisThread(nice: number, spare: ReadonlySet<number> = new Set()): Yielded | undefined {
  if (!isNiceValue(nice)) throw new RangeError(`nice must be a whole number from 0 to ${LOWEST_PRIORITY}, got ${nice}`);
  const thread = currentThreadId();
  if (thread === undefined) return undefined;
  const done: Yielded = { thread, lowered: 0, already: 0, spared: 0, failed: 0 };
  const seen = new Set([thread]);
  for (let listing = 0; listing < MAX_LISTINGS; listing++) {
    const ids = threadIds();
    if (ids === undefined) return listing === 0 ? undefined : done;
    const unseen = ids.filter((id) => !seen.has(id));
    if (unseen.length === 0) break;
    for (const id of unseen) {
      seen.add(id);
      if (spare.has(id)) {
        done.spared++;
        continue;
      }
      try {
        if (getPriority(id) >= nice) {
          done.already++;
          continue;
        }
        setPriority(id, nice);
        done.lowered++;
      } catch (error) {
        // A thread that ended between the listing and here is not a failure.
        if ((error as { info?: { code?: string } }).info?.code === 'ESRCH') continue;
        done.failed++;
        done.firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  }
  return done;
}

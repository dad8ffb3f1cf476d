// OS accounting of a process from /proc: CPU seconds (utime + stime) and resident memory.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on Linux). */
export const CLOCK_TICKS = 100;

/**
 * CPU time of `pid` in seconds, nanosecond-precise: the sum over its live threads of the time on
 * CPU from /proc/<pid>/task/<tid>/schedstat. utime + stime (cpuTickSeconds) is the same
 * accounting but reported in 10 ms ticks, too coarse for a few seconds of light load.
 */
export function cpuSeconds(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread exited between the listing and the read
    }
  }
  return ns / 1e9;
}

/** utime + stime of `pid` in seconds (children not included), in whole clock ticks. */
export function cpuTickSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Field 14 (utime) and 15 (stime), counted from 1 with pid and comm as 1 and 2.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Resident set size of `pid` in bytes (VmRSS), or peak (VmHWM) when `peak`. */
export function rssBytes(pid: number, peak = false): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${peak ? 'VmHWM' : 'VmRSS'}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}

// Which process owns a lab run: its state dir holds `owner` = "<pid> <start time>", written
// before any namespace exists and published atomically (the dir is renamed into place), so a
// concurrent sweep never mistakes a run being created, or a recycled pid, for a live owner.
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LAB_STATE_ROOT } from './names.js';

/** "<pid> <start time in clock ticks since boot>" of `pid`, or undefined when it does not run. */
export function processIdentity(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') return undefined; // a zombie is dead, only not yet reaped
    return `${pid} ${fields[19]}`;
  } catch {
    return undefined;
  }
}

/** True when `pid` no longer runs: no such process, or a zombie waiting to be reaped. */
export function processGone(pid: number): boolean {
  return processIdentity(pid) === undefined;
}

/** Creates the state dir `dir` owned by this process, atomically. */
export async function claimStateDir(dir: string, runId: string): Promise<void> {
  const staging = join(LAB_STATE_ROOT, `.creating-${runId}-${process.pid}`);
  await mkdir(staging, { recursive: true });
  await writeFile(join(staging, 'owner'), `${processIdentity(process.pid) ?? process.pid}\n`);
  await rename(staging, dir);
}

/** True when the process that created `dir` still runs. */
export async function ownerAlive(dir: string): Promise<boolean> {
  const owner = (await readFile(join(dir, 'owner'), 'utf8').catch(() => '')).trim();
  const pid = Number(owner.split(' ')[0]);
  return pid > 0 && processIdentity(pid) === owner;
}

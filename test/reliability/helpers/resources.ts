// What a process holds: libuv handles and requests by type (process.getActiveResourcesInfo) and
// open descriptors by kind (/proc/self/fd), sampled a few times to see past momentary probes.
import { readdirSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export type Counts = Record<string, number>;

/** Active resources by type plus descriptors (`fd:socket`, `fd:file`, ...), now. */
export function resourcesNow(): Counts {
  const counts: Counts = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  for (const fd of readdirSync('/proc/self/fd')) {
    let kind = 'fd:gone';
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      kind = target.startsWith('socket:') ? 'fd:socket' : target.startsWith('pipe:') ? 'fd:pipe' : target.startsWith('anon_inode:') ? `fd:${target}` : 'fd:file';
    } catch {
      // closed between readdir and readlink
    }
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  delete counts['fd:gone'];
  return counts;
}

/** Per type, the least seen over `samples` samples `everyMs` apart: what is held at rest. */
export async function resourcesAtRest(samples = 20, everyMs = 25): Promise<Counts> {
  let least: Counts | undefined;
  for (let i = 0; i < samples; i++) {
    const now = resourcesNow();
    if (!least) least = now;
    else for (const key of new Set([...Object.keys(least), ...Object.keys(now)])) least[key] = Math.min(least[key] ?? 0, now[key] ?? 0);
    await sleep(everyMs);
  }
  for (const key of Object.keys(least!)) if (least![key] === 0) delete least![key];
  return least!;
}

// Removes what lab runs left behind: namespaces (and the processes inside them), /etc/netns
// entries and state dirs of runs whose owner process is gone. Live concurrent runs are kept.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ip } from './exec.js';
import { LAB_PREFIX, LAB_STATE_ROOT, runIdOf, stateDir } from './names.js';
import { ownerAlive, processGone } from './owner.js';

/** Every lab network namespace on the machine. */
export async function labNetns(): Promise<string[]> {
  const out = await ip('netns', 'list');
  return out.split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith(LAB_PREFIX));
}

/** Kills every process inside `netns` (SIGKILL, waiting up to 3 s), then deletes it and its /etc/netns entry. */
export async function deleteNetns(netns: string): Promise<void> {
  const pids = (await ip('netns', 'pids', netns).catch(() => '')).split('\n').map(Number).filter((p) => p > 0);
  for (const pid of pids) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  for (let i = 0; i < 60 && !pids.every(processGone); i++) await sleep(50);
  await ip('netns', 'delete', netns).catch(() => undefined);
  await rm(join('/etc/netns', netns), { recursive: true, force: true });
}

/** Deletes the leftovers of dead runs; returns the run ids swept. `all` also sweeps live runs. */
export async function sweepLeftovers(options: { all?: boolean } = {}): Promise<string[]> {
  const names = [
    ...(await labNetns()),
    ...(await readdir('/etc/netns').catch(() => [] as string[])).filter((n) => n.startsWith(LAB_PREFIX)),
    ...(await readdir(LAB_STATE_ROOT)).filter((n) => n.startsWith(LAB_PREFIX)),
  ];
  const runs = [...new Set(names.flatMap((n) => runIdOf(n) ?? []))];
  const swept: string[] = [];
  for (const runId of runs) {
    if (!options.all && (await ownerAlive(stateDir(runId)))) continue;
    await sweepRun(runId);
    swept.push(runId);
  }
  return swept;
}

/** Deletes everything of one run: namespaces, /etc/netns entries, state dir. */
export async function sweepRun(runId: string): Promise<void> {
  const prefix = `${LAB_PREFIX}${runId}-`;
  for (const netns of (await labNetns()).filter((n) => n.startsWith(prefix))) await deleteNetns(netns);
  for (const entry of (await readdir('/etc/netns').catch(() => [] as string[])).filter((n) => n.startsWith(prefix))) {
    await rm(join('/etc/netns', entry), { recursive: true, force: true });
  }
  await rm(stateDir(runId), { recursive: true, force: true });
}

// Names of everything a lab run creates. Every namespace starts with `pplab-<run id>-`, so
// concurrent runs never collide and a sweep can find what a crashed run left behind.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Prefix of every network namespace, /etc/netns entry and state directory of the lab. */
export const LAB_PREFIX = 'pplab-';

/** Where each run keeps its state (catalog, owner, logs, unix sockets): `<tmp>/pplab-<id>`. */
export const LAB_STATE_ROOT = tmpdir();

/** A fresh 6-hex-digit run id. */
export function newRunId(): string {
  return randomBytes(3).toString('hex');
}

/** The network namespace of `pod` in run `runId` (netns names have no 15-char limit). */
export function netnsName(runId: string, pod: string): string {
  return `${LAB_PREFIX}${runId}-${pod}`;
}

/** The run id of a lab netns or state dir name, if it is one. */
export function runIdOf(name: string): string | undefined {
  return new RegExp(`^${LAB_PREFIX}([0-9a-f]{6})(?:-|$)`).exec(name)?.[1];
}

/** The state directory of a run. */
export function stateDir(runId: string): string {
  return join(LAB_STATE_ROOT, `${LAB_PREFIX}${runId}`);
}

// A real TCP connect timeout on loopback, without root: the demo's dropping listener
// (src/demo/dropping-listener.ts) listens with a backlog of 1 on a thread that never accepts and
// fills its accept queue, so Linux drops further SYNs and connect() hangs, for as long as it runs.
import { startDroppingListener, type DroppingListener } from '../../src/demo/dropping-listener.js';

export type StalledListener = DroppingListener;

/** Starts the listener on 127.0.0.1 (`port`, default 0: an ephemeral one, e.g. one another listener just released). */
export function startStalledListener(options: { port?: number } = {}): Promise<StalledListener> {
  return startDroppingListener('127.0.0.1', options.port ?? 0);
}

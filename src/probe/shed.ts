// Closed sockets keep none of a probe's listener closures alive.
//
// A closed Node.js socket survives young-generation collections and goes only in a full one
// (measured; most likely V8's scavenger counts the weak handle of its native wrapper as a root),
// so every probe's socket is promoted to the old generation. Whatever the socket still
// references (its listeners' closures: the probe's clock, deadline, request and result) is
// copied by each scavenge and promoted with it: at 10,000 paths the probe thread promoted 2.3 MB
// a scavenge of 7 ms (median) with the listeners kept, 0.5 MB a scavenge of 2–3 ms without them
// (docs/performance.md). Once 'close' has been emitted nothing more is, so the listeners can go.
import type { EventEmitter } from 'node:events';

const ignore = (): void => {};

/** Drops every listener of `emitter` once it has emitted 'close' (an 'error' guard stays). */
export function shedOnClose(emitter: EventEmitter): void {
  emitter.once('close', () => {
    // Listeners already registered for this 'close' still run: emit iterates a copy.
    emitter.removeAllListeners();
    emitter.on('error', ignore);
  });
}

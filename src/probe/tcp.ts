// The tcp check: resolve, connect, then half-close and linger briefly so a peer that accepts and
// immediately resets (a proxy or mesh with nowhere to send us) is `reset`, not `ok`.
import type net from 'node:net';
import type { PathSpec } from '../catalog/types.js';
import { classifyFailure } from '../classify/classify.js';
import { openTcp } from './connect.js';
import { startDeadline } from './deadline.js';
import { PhaseClock } from './phase-clock.js';
import { resolveHost } from './resolve.js';
import type { ProbeContext, ProbeOutcome } from './types.js';

/** How long after the handshake a reset still counts as the answer to our connection. */
export const TCP_LINGER_MS = 200;

/** Probes a tcp path: `ok` when the TCP handshake completes and the peer does not reset right after. */
export async function probeTcp(path: PathSpec, ctx: ProbeContext): Promise<ProbeOutcome> {
  const clock = new PhaseClock();
  const deadline = startDeadline(ctx.signal, path.timeoutMs, ctx.deadlineAt);
  try {
    clock.enter('resolve');
    const resolved = await resolveHost(path.host, ctx, deadline);
    clock.stop();
    if (!resolved.ok) return clock.finish(resolved.result, resolved.detail);
    const address = resolved.addresses[0] as string;
    const target = `${address.includes(':') ? `[${address}]` : address}:${path.port}`;
    clock.enter('connect');
    let socket: net.Socket;
    try {
      socket = await openTcp(address, path.port, deadline.signal);
    } catch (error) {
      const c = classifyFailure({ error, phase: 'connect', timedOut: deadline.expired() });
      return clock.finish(c.result, `${target}: ${c.detail}`, { addresses: [address], outOfDescriptors: c.outOfDescriptors });
    }
    clock.stop();
    const lingerError = await closeAndLinger(socket, Math.min(TCP_LINGER_MS, deadline.remaining()));
    if (lingerError) {
      const c = classifyFailure({ error: lingerError, phase: 'response', timedOut: false });
      return clock.finish(c.result, `${target}: accepted, then ${c.detail}`, { addresses: [address] });
    }
    return clock.finish('ok', `connected to ${target} (${resolved.detail})`, { addresses: [address] });
  } finally {
    deadline.dispose();
  }
}

/** Sends FIN and waits up to `lingerMs` for the peer's close; resolves with a socket error, if any. */
function closeAndLinger(socket: net.Socket, lingerMs: number): Promise<Error | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(error);
    };
    const timer = setTimeout(() => settle(), lingerMs);
    socket.on('error', (e) => settle(e));
    socket.on('close', () => settle());
    // Read and drop whatever the server greets us with, so our close is a FIN, not a RST.
    socket.resume();
    socket.end();
  });
}

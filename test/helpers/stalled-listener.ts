// A real TCP connect timeout on loopback, without root: a child process listens with a backlog
// of 1 and then blocks its event loop, so it never accepts. Once the kernel's accept queue is
// full, Linux drops further SYNs (tcp_conn_request: LISTENOVERFLOWS) and connect() hangs.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface StalledListener {
  port: number;
  close(): Promise<void>;
}

const stalledChild = (holdMs: number, port: number): string => `
const net = require('node:net');
const server = net.createServer().listen(${port}, '127.0.0.1', 1, () => {
  process.stdout.write(server.address().port + '\\n');
  // Block the loop: the socket stays listening but nothing ever calls accept().
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});
});`;

/** Options of startStalledListener. */
export interface StalledOptions {
  /** How long the child stays stalled (then it would accept: keep it longer than the test). */
  holdMs?: number;
  /** Port to listen on (default 0: an ephemeral one), e.g. one another listener just released. */
  port?: number;
}

/** Starts the listener and fills its accept queue; a later connect to `port` gets no SYN-ACK. */
export async function startStalledListener(options: StalledOptions = {}): Promise<StalledListener> {
  const { holdMs = 60_000, port: wanted = 0 } = options;
  const child: ChildProcess = spawn(process.execPath, ['-e', stalledChild(holdMs, wanted)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const fillers: net.Socket[] = [];
  const close = async (): Promise<void> => {
    for (const s of fillers) s.destroy();
    // Idempotent: a child killed by a signal has exitCode null but signalCode set.
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('stalled listener did not start')), 10_000);
      child.stdout?.once('data', (d: Buffer) => {
        clearTimeout(timer);
        resolve(Number(d.toString().trim()));
      });
      child.once('exit', () => reject(new Error('stalled listener exited')));
    });
    // backlog 1 holds two completed connections; a third and fourth make sure it is full.
    for (let i = 0; i < 4; i++) {
      const s = net.connect({ host: '127.0.0.1', port });
      s.on('error', () => {});
      fillers.push(s);
    }
    await sleep(100);
    return { port, close };
  } catch (e) {
    await close();
    throw e;
  }
}

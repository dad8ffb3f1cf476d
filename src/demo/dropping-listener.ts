// A loopback port that drops SYNs, the way a NetworkPolicy drop looks to a client, without root:
// a listener with a backlog of 1 whose thread never accepts, its accept queue filled up front.
// Linux drops a SYN when the listener's accept queue is full, so connects time out.
import { connect } from 'node:net';
import { Worker } from 'node:worker_threads';

// Runs in a worker: listen, report, then block the worker's event loop so libuv never accepts.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const net = require('node:net');
const flag = new Int32Array(workerData.flag);
const server = net.createServer();
server.on('error', (e) => parentPort.postMessage({ error: e.code || e.message }));
server.listen({ host: workerData.host, port: workerData.port, backlog: 1 }, () => {
  parentPort.postMessage({ port: server.address().port });
  setImmediate(() => {
    while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, 250);
    server.close();
    process.exit(0);
  });
});
`;

/** A running dropping listener. */
export interface DroppingListener {
  port: number;
  close(): Promise<void>;
}

function tryConnect(host: string, port: number, waitMs: number): Promise<import('node:net').Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, waitMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(undefined);
    });
  });
}

/** Starts the listener on host:port (0 picks a port). Rejects with the errno code text when it cannot listen. */
export async function startDroppingListener(host: string, port: number): Promise<DroppingListener> {
  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { host, port, flag } });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const message = await new Promise<{ port?: number; error?: string }>((resolve) => {
    worker.once('message', resolve);
    worker.once('error', (e) => resolve({ error: e.message }));
  });
  const stopWorker = async () => {
    const view = new Int32Array(flag);
    Atomics.store(view, 0, 1);
    Atomics.notify(view, 0);
    const bound = setTimeout(() => void worker.terminate(), 2000);
    await exited;
    clearTimeout(bound);
  };
  if (message.port === undefined) {
    await stopWorker();
    throw new Error(message.error ?? 'listen failed');
  }
  const bound = message.port;
  // Fill the accept queue; the first attempt that does not complete shows SYNs are now dropped.
  const fillers: import('node:net').Socket[] = [];
  for (let i = 0; i < 8; i++) {
    const socket = await tryConnect(host, bound, 300);
    if (!socket) break;
    socket.on('error', () => {});
    fillers.push(socket);
  }
  return {
    port: bound,
    async close() {
      for (const socket of fillers) socket.destroy();
      await stopWorker();
    },
  };
}

// Child process of the benchmark: an HTTP server on 127.0.0.1 that answers every request after
// exactly SLOW_TARGET_MS (a timer to just short of it, then a spin to the exact instant), and
// prints its port on stdout. Alone in its process, so no other load delays the answer. Exits
// with SIGTERM or when its stdin (a pipe from the bench) closes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

const HOLD_MS = 50;
const SPIN_MS = 3;

const server = http.createServer((req, res) => {
  const at = performance.now();
  req.resume();
  setTimeout(() => {
    while (performance.now() - at < HOLD_MS) { /* spin to the exact instant */ }
    res.end('ok\n');
  }, HOLD_MS - SPIN_MS);
});
server.keepAliveTimeout = 1000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
const stop = (): void => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
};
process.on('SIGTERM', stop);
// The bench holds our stdin: when it goes away, however it ended, so do we.
process.stdin.on('end', stop).resume();

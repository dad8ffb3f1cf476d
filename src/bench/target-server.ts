// Child process of the benchmark, so the bench's own work (scrapes, parsing) never delays a
// target. `load`: a TCP server and an HTTP server answering 200 at once. `slow`: an HTTP server
// answering every request after exactly 50 ms (a timer to just short of it, then a spin to the
// exact instant), alone in its process so no other load delays the answer. Prints its ports as
// one JSON line on stdout; exits on SIGTERM or when its stdin (a pipe from the bench) closes.
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const HOLD_MS = 50;
const SPIN_MS = 3;

async function listenLoopback(server: net.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as net.AddressInfo).port;
}

function slowServer(): http.Server {
  return http.createServer((req, res) => {
    const at = performance.now();
    req.resume();
    setTimeout(() => {
      while (performance.now() - at < HOLD_MS) { /* spin to the exact instant */ }
      res.end('ok\n');
    }, HOLD_MS - SPIN_MS);
  });
}

const servers: net.Server[] = [];
const ports: Record<string, number> = {};
if (process.argv[2] === 'slow') {
  const slow = slowServer();
  slow.keepAliveTimeout = 1000;
  servers.push(slow);
  ports.slow = await listenLoopback(slow);
} else {
  const tcp = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.on('end', () => socket.end());
    socket.resume();
  });
  const web = http.createServer((_req, res) => res.end('ok\n'));
  web.keepAliveTimeout = 1000;
  servers.push(tcp, web);
  ports.tcp = await listenLoopback(tcp);
  ports.http = await listenLoopback(web);
}
process.stdout.write(`${JSON.stringify(ports)}\n`);

const stop = (): void => {
  for (const server of servers) {
    server.close();
    if (server instanceof http.Server) server.closeAllConnections();
  }
  process.exit(0);
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop).resume();

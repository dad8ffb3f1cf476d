// Child process of the benchmark, so the bench's own work (scrapes, parsing) never delays a
// target. `load`: a TCP server and an HTTP server answering 200 at once. `slow`: an HTTP server
// answering every request after exactly 50 ms (a timer to just short of it, then a wait that
// yields to the event loop until the exact instant), alone in its process so no other load delays
// the answer, with a second server reporting how late each answer left. Prints its ports as
// one JSON line on stdout; exits on SIGTERM or when its stdin (a pipe from the bench) closes.
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const HOLD_MS = 50;
/** How long before the instant the timer fires; the rest is waited for turn by turn. */
const TURN_MS = 2;
/** Lateness records kept for the stats server (the newest). */
const MAX_RECORDS = 20_000;

async function listenLoopback(server: net.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as net.AddressInfo).port;
}

/** Each answer's request arrival (ms since the epoch) and how late it left (ms past 50). */
const lateness: Array<[number, number]> = [];

/**
 * The wait before each answer turns the event loop (setImmediate) rather than spinning in place:
 * a request arriving while another answer is due is read at once, not after that spin. (The first
 * target spun for its last 3 ms: two requests within 3 ms of each other were answered up to
 * several ms late, and that lateness counted as the agent's processing-phase error.)
 */
function slowServer(): http.Server {
  return http.createServer((req, res) => {
    const at = performance.now();
    const arrived = Date.now();
    req.resume();
    const answer = (): void => {
      const now = performance.now();
      if (now - at < HOLD_MS) return void setImmediate(answer);
      res.end('ok\n');
      lateness.push([arrived, now - at - HOLD_MS]);
      if (lateness.length > MAX_RECORDS) lateness.splice(0, lateness.length - MAX_RECORDS);
    };
    setTimeout(answer, HOLD_MS - TURN_MS);
  });
}

const servers: net.Server[] = [];
const ports: Record<string, number> = {};
if (process.argv[2] === 'slow') {
  const slow = slowServer();
  slow.keepAliveTimeout = 1000;
  servers.push(slow);
  ports.slow = await listenLoopback(slow);
  const stats = http.createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify(lateness)));
  servers.push(stats);
  ports.slowStats = await listenLoopback(stats);
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

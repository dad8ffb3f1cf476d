// The loopback targets the benchmark probes: a TCP server, an HTTP server answering 200 at once,
// dnsmasq answering bench.test, and an HTTP server answering after exactly 50 ms (its own process,
// slow-target.ts, so the load on these servers cannot delay its answer).
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { findDnsmasq, startDnsmasq, type Dnsmasq } from './dnsmasq.js';

/** The name dnsmasq answers (A 127.0.0.1). */
export const DNS_NAME = 'bench.test';

/** How long the slow target holds each request. */
export const SLOW_TARGET_MS = 50;

export interface Targets {
  tcpPort: number;
  httpPort: number;
  dnsPort: number;
  slowPort: number;
  close(): Promise<void>;
}

async function listenLoopback(server: net.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as net.AddressInfo).port;
}

/** Starts the slow target child; resolves with its port once it listens. */
async function startSlowTarget(): Promise<{ port: number; close(): Promise<void> }> {
  const script = fileURLToPath(new URL('./slow-target.js', import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await Promise.race([
    once(child.stdout!, 'data'),
    once(child, 'exit').then(() => { throw new Error('slow target exited'); }),
  ])) as [Buffer];
  const port = Number(line.toString().trim());
  return {
    port,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Starts every target; throws when dnsmasq is not installed. */
export async function startTargets(): Promise<Targets> {
  const binary = findDnsmasq();
  if (!binary) throw new Error('dnsmasq not found (Debian: apt-get install dnsmasq-base)');
  const tcp = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.on('end', () => socket.end());
    socket.resume();
  });
  const web = http.createServer((_req, res) => res.end('ok\n'));
  web.keepAliveTimeout = 1000;
  const tcpPort = await listenLoopback(tcp);
  const httpPort = await listenLoopback(web);
  const dns: Dnsmasq = await startDnsmasq(binary, [`--address=/${DNS_NAME}/127.0.0.1`, '--cache-size=1000']);
  const slow = await startSlowTarget();
  return {
    tcpPort,
    httpPort,
    dnsPort: dns.port,
    slowPort: slow.port,
    close: async () => {
      tcp.close();
      web.close();
      web.closeAllConnections();
      await Promise.all([dns.close(), slow.close()]);
    },
  };
}

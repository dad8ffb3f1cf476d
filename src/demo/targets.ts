// The demo's loopback targets, one per outcome worth seeing: a healthy and a broken HTTP
// endpoint, a hung server, a server that resets, a closed port, a port that drops SYNs, and a
// DNS responder for *.demo.svc.cluster.local. Everything binds 127.0.0.1 on fixed ports.
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { PathprobeError } from '../errors.js';
import { startDnsResponder } from './dns-responder.js';
import { startDroppingListener } from './dropping-listener.js';

/** The demo binds only here. */
export const DEMO_HOST = '127.0.0.1';

/** Fixed demo ports (probes/examples/local.yaml names them). */
export const DEMO_PORTS = {
  agent: 9477,
  http: 9481,
  hung: 9482,
  reset: 9483,
  closed: 9484,
  dropping: 9485,
  dns: 9453,
} as const;

/** Names the demo DNS responder answers (everything else is NXDOMAIN). */
export const DEMO_DNS_RECORDS: ReadonlyMap<string, string> = new Map([
  ['api.demo.svc.cluster.local', '127.0.0.1'],
  ['web.demo.svc.cluster.local', '127.0.0.1'],
]);

/** Running demo targets. */
export interface DemoTargets {
  ports: Record<keyof typeof DEMO_PORTS, number>;
  close(): Promise<void>;
}

function portInUse(what: string, port: number, cause: unknown): PathprobeError {
  return new PathprobeError(
    'PP_DEMO_PORT',
    `demo port ${DEMO_HOST}:${port} (${what}) is not free: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
    `the demo uses fixed ports ${Object.values(DEMO_PORTS).join(', ')} on ${DEMO_HOST}; stop what uses port ${port} (see \`ss -ltnup | grep ${port}\`), e.g. an earlier demo`,
    { cause },
  );
}

function listenTcp(server: Server, what: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(portInUse(what, port, e)));
    server.listen({ host: DEMO_HOST, port }, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function closeTcp(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Resolves to true when something accepts connections on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: DEMO_HOST, port });
    const done = (value: boolean) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(1000, () => done(true));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Starts every demo target. `ports` overrides the fixed ports (tests pass 0 for ephemeral ones;
 * the closed port is then chosen by binding and releasing one). Throws PP_DEMO_PORT when a port is taken.
 */
export async function startDemoTargets(ports: Partial<Record<keyof typeof DEMO_PORTS, number>> = {}): Promise<DemoTargets> {
  const want = { ...DEMO_PORTS, ...ports };
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
  };
  try {
    const httpSockets = new Set<Socket>();
    const http = createHttpServer((req, res) => {
      const status = req.url === '/healthz' ? 200 : req.url === '/broken' ? 500 : 404;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok\n' : `demo: ${status}\n`);
    });
    http.on('connection', (s: Socket) => (httpSockets.add(s), s.once('close', () => httpSockets.delete(s))));
    const httpPort = await listenTcp(http, 'http', want.http);
    closers.push(() => closeTcp(http, httpSockets));

    // Accepts and never answers: an application hung after the handshake (http_timeout).
    const hungSockets = new Set<Socket>();
    const hung = createServer((s) => (hungSockets.add(s), s.on('error', () => {}), s.once('close', () => hungSockets.delete(s))));
    const hungPort = await listenTcp(hung, 'hung', want.hung);
    closers.push(() => closeTcp(hung, hungSockets));

    // Accepts, reads the request, then answers with a RST (reset).
    const resetSockets = new Set<Socket>();
    const reset = createServer((s) => {
      resetSockets.add(s);
      s.on('error', () => {});
      s.once('close', () => resetSockets.delete(s));
      s.once('data', () => s.resetAndDestroy());
    });
    const resetPort = await listenTcp(reset, 'reset', want.reset);
    closers.push(() => closeTcp(reset, resetSockets));

    let closedPort = want.closed;
    if (closedPort === 0) {
      const probe = createServer();
      closedPort = await listenTcp(probe, 'closed', 0);
      await closeTcp(probe, new Set());
    }
    if (await accepts(closedPort)) {
      throw portInUse('closed port: must have no listener', closedPort, new Error('something listens there'));
    }

    const dropping = await startDroppingListener(DEMO_HOST, want.dropping).catch((e: unknown) => {
      throw portInUse('dropping', want.dropping, e);
    });
    closers.push(() => dropping.close());

    const dns = await startDnsResponder(DEMO_HOST, want.dns, DEMO_DNS_RECORDS).catch((e: unknown) => {
      throw portInUse('dns/udp', want.dns, e);
    });
    closers.push(() => dns.close());

    return {
      ports: { agent: want.agent, http: httpPort, hung: hungPort, reset: resetPort, closed: closedPort, dropping: dropping.port, dns: dns.port },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

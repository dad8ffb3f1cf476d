import t from 'tap';
import { Resolver } from 'node:dns/promises';
import { connect, createServer } from 'node:net';
import { PathprobeError } from '../../src/errors.js';
import { startDemoTargets } from '../../src/demo/targets.js';

const EPHEMERAL = { http: 0, hung: 0, reset: 0, closed: 0, dropping: 0, dns: 0 };

/** Connects, optionally sends, and reports what happened within `waitMs`. */
function tcpTry(port: number, send: string | undefined, waitMs: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let state = 'no-connect';
    const finish = (what: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(what);
    };
    const timer = setTimeout(() => finish(state === 'connected' ? 'silent' : 'no-connect'), waitMs);
    socket.once('connect', () => {
      state = 'connected';
      if (send === undefined) finish('connected');
      else socket.write(send);
    });
    socket.once('data', () => finish('data'));
    socket.once('error', (e: NodeJS.ErrnoException) => finish(e.code ?? 'error'));
  });
}

t.test('each demo target produces its outcome on the wire', async (t) => {
  const targets = await startDemoTargets(EPHEMERAL);
  t.teardown(() => targets.close());
  const { ports } = targets;
  t.equal((await fetch(`http://127.0.0.1:${ports.http}/healthz`)).status, 200);
  t.equal((await fetch(`http://127.0.0.1:${ports.http}/broken`)).status, 500);
  t.equal(await tcpTry(ports.hung, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 300), 'silent', 'hung: accepts, never answers');
  t.equal(await tcpTry(ports.reset, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 1000), 'ECONNRESET', 'reset: RST after the request');
  t.equal(await tcpTry(ports.closed, undefined, 1000), 'ECONNREFUSED', 'closed: refused');
  t.equal(await tcpTry(ports.dropping, undefined, 600), 'no-connect', 'dropping: SYN unanswered');
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([`127.0.0.1:${ports.dns}`]);
  t.same(await resolver.resolve4('api.demo.svc.cluster.local'), ['127.0.0.1']);
  await t.rejects(resolver.resolve4('missing.demo.svc.cluster.local'), { code: 'ENOTFOUND' }, 'NXDOMAIN');
});

t.test('a taken demo port fails with a hint', async (t) => {
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen({ host: '127.0.0.1', port: 0 }, resolve));
  t.teardown(() => new Promise<void>((resolve) => squatter.close(() => resolve())));
  const port = (squatter.address() as { port: number }).port;
  const error = await startDemoTargets({ ...EPHEMERAL, reset: port }).catch((e: unknown) => e);
  t.ok(error instanceof PathprobeError);
  t.match(error, { code: 'PP_DEMO_PORT', message: new RegExp(`127\\.0\\.0\\.1:${port} \\(reset\\).*EADDRINUSE`), hint: /stop what uses port/ });
  const closed = await startDemoTargets({ ...EPHEMERAL, closed: port }).catch((e: unknown) => e);
  t.match(closed, { code: 'PP_DEMO_PORT', message: /must have no listener/ }, 'a "closed" port that accepts is refused too');
  // The first failure released everything it had opened: a second full start works.
  const again = await startDemoTargets(EPHEMERAL);
  await again.close();
});

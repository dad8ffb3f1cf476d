import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { deadlineError } from '../../src/probe/deadline.js';
import { probeTcp } from '../../src/probe/tcp.js';
import { startDnsServer } from '../helpers/dns-server.js';
import { tcpPath } from '../helpers/paths.js';
import { startStalledListener } from '../helpers/stalled-listener.js';

async function listen(onConnection: (s: net.Socket) => void = () => {}): Promise<net.Server> {
  const server = net.createServer(onConnection);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}
function portOf(server: net.Server): number {
  return (server.address() as net.AddressInfo).port;
}

let dir: string;
t.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pathprobe-tcp-'));
  await writeFile(join(dir, 'hosts'), '127.0.0.1 db.test\n');
});
t.teardown(() => rm(dir, { recursive: true, force: true }));
const ctx = (signal = new AbortController().signal) => ({
  signal, hostsPath: join(dir, 'hosts'), resolvConfPath: join(dir, 'resolv.conf'),
});

t.test('ok: handshake completes, connection closed cleanly', async (t) => {
  let serverSawEnd = false;
  const server = await listen((s) => s.on('end', () => { serverSawEnd = true; s.end(); }));
  t.teardown(() => server.close());
  const out = await probeTcp(tcpPath('db.test', portOf(server)), ctx());
  t.equal(out.result, 'ok', out.detail);
  t.same(out.addresses, ['127.0.0.1']);
  t.ok((out.phases.connect ?? -1) >= 0, 'connect timed');
  t.ok((out.phases.resolve ?? -1) >= 0, 'resolve timed');
  t.equal(out.phases.total, out.durationSeconds);
  t.ok(out.durationSeconds < 0.5, `took ${out.durationSeconds}s`);
  t.ok(serverSawEnd, 'the server saw our FIN');
});

t.test('refused: nothing listens on the port', async (t) => {
  const server = await listen();
  const port = portOf(server);
  await new Promise((r) => server.close(r));
  const out = await probeTcp(tcpPath('127.0.0.1', port), ctx());
  t.equal(out.result, 'refused', out.detail);
  t.match(out.detail, /ECONNREFUSED/);
});

t.test('reset: accepted, then reset by the server', async (t) => {
  const server = await listen((s) => s.resetAndDestroy());
  t.teardown(() => server.close());
  const out = await probeTcp(tcpPath('127.0.0.1', portOf(server)), ctx());
  t.equal(out.result, 'reset', out.detail);
  t.match(out.detail, /ECONNRESET/);
});

t.test('timeout: SYN dropped by a full accept queue (a real connect timeout on loopback)', async (t) => {
  const stalled = await startStalledListener();
  t.teardown(() => stalled.close());
  const out = await probeTcp(tcpPath('127.0.0.1', stalled.port, 400), ctx());
  t.equal(out.result, 'timeout', out.detail);
  t.ok(out.durationSeconds >= 0.38 && out.durationSeconds < 0.8, `returned after ${out.durationSeconds}s`);
  t.ok((out.phases.connect ?? 0) >= 0.35, 'time spent in connect');
});

t.test('timeout: the scheduler aborting ctx.signal during connect', async (t) => {
  const stalled = await startStalledListener();
  t.teardown(() => stalled.close());
  const out = await probeTcp(tcpPath('127.0.0.1', stalled.port, 5000), ctx(AbortSignal.timeout(200)));
  t.equal(out.result, 'timeout', out.detail);
  t.ok(out.durationSeconds < 0.6, `returned after ${out.durationSeconds}s`);
});

t.test('a name that does not resolve is dns_nxdomain, and never connects', async (t) => {
  const dns = await startDnsServer({});
  t.teardown(() => dns.close());
  await writeFile(join(dir, 'resolv.conf'), `nameserver 127.0.0.1#${dns.port}\nsearch ns.svc.cluster.local svc.cluster.local\noptions ndots:5 timeout:1\n`);
  const out = await probeTcp(tcpPath('missing.other-ns', 5432), ctx());
  t.equal(out.result, 'dns_nxdomain', out.detail);
  t.equal(out.phases.connect, undefined, 'no connect phase');
  t.same(dns.queries.map((q) => q.name), ['missing.other-ns.ns.svc.cluster.local', 'missing.other-ns.svc.cluster.local', 'missing.other-ns']);
});

t.test('ctx.deadlineAt: the caller\'s signal is the deadline, same class and detail as the prober\'s own', async (t) => {
  const stalled = await startStalledListener();
  t.teardown(() => stalled.close());
  // What the scheduler does: its signal aborts at deadlineAt with the probe's deadline reason.
  const controller = new AbortController();
  const deadlineAt = performance.now() + 300;
  const timer = setTimeout(() => controller.abort(deadlineError(300)), 300);
  t.teardown(() => clearTimeout(timer));
  const shared = await probeTcp(tcpPath('127.0.0.1', stalled.port, 300), { ...ctx(controller.signal), deadlineAt });
  const own = await probeTcp(tcpPath('127.0.0.1', stalled.port, 300), ctx());
  t.equal(shared.result, 'timeout', shared.detail);
  t.equal(shared.detail, own.detail, 'same detail as with the prober\'s own deadline');
  t.match(shared.detail, /probe deadline of 300 ms reached/);
  t.ok(shared.durationSeconds >= 0.29 && shared.durationSeconds < 0.6, `${shared.durationSeconds}s`);
  t.ok((shared.phases.connect ?? 0) >= 0.28, 'the connect phase ran until the deadline');
});

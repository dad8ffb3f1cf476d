import { getEventListeners } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import t from 'tap';
import type { PathSpec } from '../../src/catalog/types.js';
import { PROBE_GRACE_MS, PROBERS, runProbe } from '../../src/probe/probers.js';
import { startDnsServer } from '../helpers/dns-server.js';
import { dnsPath, httpPath, tcpPath } from '../helpers/paths.js';

const ctx = () => ({ signal: new AbortController().signal, hostsPath: '/nonexistent', resolvConfPath: '/nonexistent' });

t.test('dispatches by check kind and fills total = durationSeconds', async (t) => {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise((r) => server.close(r)));
  const out = await runProbe(tcpPath('127.0.0.1', (server.address() as net.AddressInfo).port), ctx());
  t.equal(out.result, 'ok', out.detail);
  t.equal(out.phases.total, out.durationSeconds);
  t.same(Object.keys(PROBERS).sort(), ['dns', 'http', 'tcp']);
});

t.test('never rejects: a throwing prober becomes error with detail', async (t) => {
  const original = PROBERS.http;
  t.teardown(() => { PROBERS.http = original; });
  PROBERS.http = async () => { throw Object.assign(new Error('kaboom'), { code: 'EWEIRD' }); };
  const out = await runProbe(httpPath('http://127.0.0.1:1/'), ctx());
  t.equal(out.result, 'error');
  t.match(out.detail, /EWEIRD kaboom/);
  t.ok(out.phases.total !== undefined && out.durationSeconds === out.phases.total);
});

t.test('a prober that overruns returns error by timeout + grace', async (t) => {
  const original = PROBERS.dns;
  t.teardown(() => { PROBERS.dns = original; });
  PROBERS.dns = () => new Promise(() => {});
  const out = await runProbe(dnsPath('x.test.', {}, 200), ctx());
  t.equal(out.result, 'error');
  t.match(out.detail, /did not return/);
  t.ok(out.durationSeconds >= 0.19 + PROBE_GRACE_MS / 1000 - 0.02 && out.durationSeconds < 0.8, `${out.durationSeconds}s`);
});

t.test('an unknown check kind and an invalid outcome are errors', async (t) => {
  const weird = { ...tcpPath('127.0.0.1', 1), check: 'icmp' } as unknown as PathSpec;
  t.equal((await runProbe(weird, ctx())).result, 'error');
  const original = PROBERS.tcp;
  t.teardown(() => { PROBERS.tcp = original; });
  PROBERS.tcp = async () => ({ result: 'Timeout', phases: {}, durationSeconds: 0, detail: '' }) as never;
  t.equal((await runProbe(tcpPath('127.0.0.1', 1), ctx())).result, 'error');
});

t.test('the scheduler aborting ctx.signal ends a real probe on time', async (t) => {
  const silent = await startDnsServer({}, { unknown: 'drop' });
  t.teardown(() => silent.close());
  const out = await runProbe(dnsPath('x.test.', { server: { host: '127.0.0.1', port: silent.port } }, 5000),
    { ...ctx(), signal: AbortSignal.timeout(150) });
  t.equal(out.result, 'dns_timeout', out.detail);
  t.ok(out.durationSeconds >= 0.14 && out.durationSeconds < 0.5, `${out.durationSeconds}s`);
  t.equal(silent.queries.length, 1);
});

t.test('a finished probe leaves no listener on the caller\'s signal (the scheduler reuses a clean one)', async (t) => {
  const tcpServer = net.createServer((s) => s.on('end', () => s.end()).resume());
  await new Promise<void>((r) => tcpServer.listen(0, '127.0.0.1', r));
  const web = http.createServer((_q, res) => res.end('ok'));
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  const dns = await startDnsServer({ 'clean.test': { A: ['127.0.0.1'] }, 'gone.test': { behaviour: 'nxdomain' } });
  t.teardown(async () => {
    tcpServer.close();
    web.closeAllConnections();
    web.close();
    await dns.close();
  });
  const server = { host: '127.0.0.1', port: dns.port };
  const cases = [
    ['tcp ok', tcpPath('127.0.0.1', (tcpServer.address() as net.AddressInfo).port)],
    ['tcp refused', tcpPath('127.0.0.1', 1)],
    ['http ok', httpPath(`http://127.0.0.1:${(web.address() as net.AddressInfo).port}/`)],
    ['http refused', httpPath('http://127.0.0.1:1/')],
    ['dns ok', dnsPath('clean.test.', { server })],
    ['dns nxdomain', dnsPath('gone.test.', { server })],
  ] as const;
  for (const [name, path] of cases) {
    for (const deadlineAt of [undefined, performance.now() + path.timeoutMs]) {
      const signal = new AbortController().signal;
      const out = await runProbe(path, { ...ctx(), signal, deadlineAt });
      t.ok(out.result !== 'error', `${name}: ${out.result} ${out.detail}`);
      t.equal(getEventListeners(signal, 'abort').length, 0, `${name} (deadlineAt ${deadlineAt === undefined ? 'absent' : 'given'}): no listener left`);
    }
  }
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { DnsOptions } from '../../src/catalog/types.js';
import { probeDns } from '../../src/probe/dns.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
import { dnsPath } from '../helpers/paths.js';

let server: TestDnsServer;
let dir: string;
t.before(async () => {
  server = await startDnsServer({
    'kubernetes.default.svc.cluster.local': { A: ['10.96.0.1'] },
    '_https._tcp.web.team-a.svc.cluster.local': { SRV: [{ priority: 0, weight: 50, port: 8443, target: 'web.team-a.svc.cluster.local' }] },
    'web.team-a.svc.cluster.local': { A: ['10.1.0.1', '10.1.0.2'], TXT: [['v=1', 'owner=team-a']] },
    'many.test': { A: Array.from({ length: 30 }, (_, i) => `10.2.0.${i + 1}`) },
    'sick.test': { behaviour: 'servfail' },
    'denied.test': { behaviour: 'refused' },
    'silent.test': { behaviour: 'drop' },
    'spoofed.test': { A: ['10.0.0.1'], behaviour: 'wrong-id' },
    'garbled.test': { A: ['10.0.0.1'], behaviour: 'malformed' },
    'big.test': { A: ['10.0.0.9'], behaviour: 'truncate' },
  });
  dir = await mkdtemp(join(tmpdir(), 'pathprobe-dns-'));
  await writeFile(join(dir, 'resolv.conf'), [
    `nameserver 127.0.0.1#${server.port}`,
    'search team-a.svc.cluster.local svc.cluster.local cluster.local',
    'options ndots:5 timeout:1 attempts:2',
  ].join('\n'));
});
t.teardown(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});
const ctx = () => ({ signal: new AbortController().signal, resolvConfPath: join(dir, 'resolv.conf'), hostsPath: join(dir, 'none') });
const direct = (extra: Partial<DnsOptions> = {}): Partial<DnsOptions> => ({ server: { host: '127.0.0.1', port: server.port }, ...extra });

t.test('ok: answers listed in detail and addresses, bounded', async (t) => {
  const a = await probeDns(dnsPath('web.team-a.svc.cluster.local.', direct()), ctx());
  t.equal(a.result, 'ok', a.detail);
  t.same(a.addresses, ['10.1.0.1', '10.1.0.2']);
  t.ok((a.phases.resolve ?? -1) >= 0 && a.phases.total !== undefined);
  const srv = await probeDns(dnsPath('_https._tcp.web.team-a.svc.cluster.local.', direct({ type: 'SRV' })), ctx());
  t.equal(srv.result, 'ok', srv.detail);
  t.same(srv.addresses, ['0 50 8443 web.team-a.svc.cluster.local']);
  const txt = await probeDns(dnsPath('web.team-a.svc.cluster.local.', direct({ type: 'TXT' })), ctx());
  t.same(txt.addresses, ['"v=1" "owner=team-a"']);
  const many = await probeDns(dnsPath('many.test.', direct()), ctx());
  t.equal(many.addresses?.length, 10);
  t.match(many.detail, /\(\+20 more\)/);
});

t.test('failure classes', async (t) => {
  const cases = [
    ['nothere.test.', 'A', 'dns_nxdomain', /NXDOMAIN/],
    ['sick.test.', 'A', 'dns_error', /SERVFAIL/],
    ['denied.test.', 'A', 'dns_error', /REFUSED/],
    ['web.team-a.svc.cluster.local.', 'AAAA', 'dns_error', /no AAAA record/],
    ['garbled.test.', 'A', 'dns_error', /malformed/],
    ['bad..name', 'A', 'dns_error', /empty label/],
  ] as const;
  for (const [name, type, result, detail] of cases) {
    const out = await probeDns(dnsPath(name, direct({ type })), ctx());
    t.equal(out.result, result, `${name} ${type}: ${out.detail}`);
    t.match(out.detail, detail);
  }
});

t.test('a nameserver the socket cannot connect to is dns_error, not a crash', async (t) => {
  // connect() to the broadcast address fails at once with EACCES (no SO_BROADCAST): nothing is
  // sent. The failed connect's callback once went on to send on the unconnected socket, which
  // threw outside any handler and took the probe thread down.
  const out = await probeDns(dnsPath('web.team-a.svc.cluster.local.', { server: { host: '255.255.255.255', port: 53 } }, 500), ctx());
  t.equal(out.result, 'dns_error', out.detail);
  t.match(out.detail, /EACCES/);
});

t.test('no answer before the deadline is dns_timeout, returned on time', async (t) => {
  const out = await probeDns(dnsPath('silent.test.', direct(), 400), ctx());
  t.equal(out.result, 'dns_timeout', out.detail);
  t.ok(out.durationSeconds >= 0.38 && out.durationSeconds < 0.8, `returned after ${out.durationSeconds}s`);
});

t.test('an answer with the wrong id is dns_error (the server answered, badly)', async (t) => {
  const out = await probeDns(dnsPath('spoofed.test.', direct(), 400), ctx());
  t.equal(out.result, 'dns_error', out.detail);
  t.match(out.detail, /id/);
});

t.test('truncated over UDP: retried over TCP; transport tcp asks over TCP only', async (t) => {
  const before = server.queries.length;
  t.equal((await probeDns(dnsPath('big.test.', direct()), ctx())).result, 'ok');
  t.same(server.queries.slice(before).map((q) => q.transport), ['udp', 'tcp']);
  const mid = server.queries.length;
  t.equal((await probeDns(dnsPath('web.team-a.svc.cluster.local.', direct({ transport: 'tcp' })), ctx())).result, 'ok');
  t.same(server.queries.slice(mid).map((q) => q.transport), ['tcp']);
});

t.test('resolv.conf: search list and ndots:5 as in a pod; a trailing dot is absolute', async (t) => {
  let before = server.queries.length;
  const short = await probeDns(dnsPath('kubernetes.default'), ctx());
  t.equal(short.result, 'ok', short.detail);
  t.same(server.queries.slice(before).map((q) => q.name), [
    'kubernetes.default.team-a.svc.cluster.local', 'kubernetes.default.svc.cluster.local',
  ]);
  before = server.queries.length;
  const absolute = await probeDns(dnsPath('kubernetes.default.svc.cluster.local.'), ctx());
  t.equal(absolute.result, 'ok');
  t.same(server.queries.slice(before).map((q) => q.name), ['kubernetes.default.svc.cluster.local']);
  before = server.queries.length;
  const web = await probeDns(dnsPath('web'), ctx());
  t.equal(web.result, 'ok', 'a bare service name resolves in the pod namespace');
  t.match(web.detail, /^web\.team-a\.svc\.cluster\.local A/);
  const missing = await probeDns(dnsPath('ghost.other-ns'), ctx());
  t.equal(missing.result, 'dns_nxdomain');
  t.match(missing.detail, /ghost\.other-ns\.team-a\.svc\.cluster\.local: NXDOMAIN.*ghost\.other-ns: NXDOMAIN/);
});

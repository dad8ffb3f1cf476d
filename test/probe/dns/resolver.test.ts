import { performance } from 'node:perf_hooks';
import t from 'tap';
import { lookup, type LookupOptions } from '../../../src/probe/dns/resolver.js';
import { RESOLV_DEFAULTS, type ResolvConf } from '../../../src/probe/dns/resolv-conf.js';
import { startDnsServer, type TestDnsServer } from '../../helpers/dns-server.js';

let server: TestDnsServer;
t.before(async () => {
  server = await startDnsServer({
    'web.svc.cluster.local': { A: ['10.0.0.7'], AAAA: ['fd00::7'] },
    'alias.svc.cluster.local': { CNAME: 'web.svc.cluster.local' },
    'kubernetes.default.svc.cluster.local': { A: ['10.96.0.1'] },
    'broken.test': { behaviour: 'servfail' },
    'closed.test': { behaviour: 'refused' },
    'garbled.test': { A: ['10.0.0.1'], behaviour: 'malformed' },
    'spoofed.test': { A: ['10.0.0.1'], behaviour: 'wrong-id' },
    'silent.test': { behaviour: 'drop' },
    'big.test': { A: ['10.0.0.9'], behaviour: 'truncate' },
    'short.ns.svc.cluster.local': { behaviour: 'servfail' },
    'short.svc.cluster.local': { A: ['10.0.0.8'] },
  });
});
t.teardown(() => server.close());

function options(overrides: Partial<ResolvConf> = {}, deadlineMs = 2000): LookupOptions {
  return {
    conf: { ...RESOLV_DEFAULTS, nameservers: [{ host: server.host, port: server.port }], timeout: 1, attempts: 1, ...overrides },
    signal: AbortSignal.timeout(deadlineMs),
    deadline: performance.now() + deadlineMs,
  };
}

t.test('answers, following a CNAME inside the answer', async (t) => {
  const a = await lookup('alias.svc.cluster.local.', 'A', options());
  t.ok(a.ok);
  if (a.ok) t.same(a.records.map((r) => r.data), [{ type: 'A', address: '10.0.0.7' }]);
  const v6 = await lookup('web.svc.cluster.local.', 'AAAA', options());
  t.ok(v6.ok && v6.records[0]?.data.type === 'AAAA');
});

t.test('failure kinds', async (t) => {
  const cases = [
    ['nothere.test.', 'nxdomain', /NXDOMAIN/],
    ['web.svc.cluster.local.', 'nodata', /no SRV record/],
    ['broken.test.', 'servfail', /SERVFAIL/],
    ['closed.test.', 'refused', /REFUSED/],
    ['garbled.test.', 'malformed', /malformed answer/],
  ] as const;
  for (const [name, kind, detail] of cases) {
    const r = await lookup(name, name.startsWith('web') ? 'SRV' : 'A', options());
    t.equal(r.ok ? 'ok' : r.kind, kind, name);
    if (!r.ok) t.match(r.detail, detail, `${name} detail`);
  }
});

t.test('no answer: returns at the deadline as timeout', async (t) => {
  const before = server.queries.length;
  const started = performance.now();
  const r = await lookup('silent.test.', 'A', options({ attempts: 3 }, 400));
  const took = performance.now() - started;
  t.equal(r.ok ? 'ok' : r.kind, 'timeout');
  t.ok(took >= 380 && took < 900, `took ${Math.round(took)} ms`);
  t.equal(server.queries.length - before, 1, 'the 1 s attempt is cut by the 400 ms deadline');
});

t.test('an answer with the wrong id is ignored, then reported as unusable (not as silence)', async (t) => {
  const r = await lookup('spoofed.test.', 'A', options({}, 300));
  t.equal(r.ok ? 'ok' : r.kind, 'malformed');
  if (!r.ok) t.match(r.detail, /id/);
});

t.test('a truncated UDP answer is retried over TCP', async (t) => {
  const before = server.queries.length;
  const r = await lookup('big.test.', 'A', options());
  t.ok(r.ok);
  t.same(server.queries.slice(before).map((q) => q.transport), ['udp', 'tcp']);
  const tcpOnly = await lookup('web.svc.cluster.local.', 'A', { ...options(), transport: 'tcp' });
  t.ok(tcpOnly.ok);
  t.equal(server.queries.at(-1)?.transport, 'tcp');
});

t.test('search list with ndots:5, SERVFAIL on one domain moves on (glibc)', async (t) => {
  const conf = { search: ['ns.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ndots: 5 };
  const k = await lookup('kubernetes.default', 'A', options(conf));
  t.ok(k.ok);
  t.same(k.tried, ['kubernetes.default.ns.svc.cluster.local', 'kubernetes.default.svc.cluster.local']);
  const s = await lookup('short', 'A', options(conf));
  t.ok(s.ok, 'found after a SERVFAIL on the first domain');
  t.equal(s.ok && s.name, 'short.svc.cluster.local');
  const missing = await lookup('nope', 'A', options(conf));
  t.equal(missing.ok ? 'ok' : missing.kind, 'nxdomain');
  t.same(missing.tried, ['nope.ns.svc.cluster.local', 'nope.svc.cluster.local', 'nope.cluster.local', 'nope']);
  const stop = await lookup('closed.test', 'A', options({ search: ['a.test'], ndots: 5 }));
  t.equal(stop.ok ? 'ok' : stop.kind, 'refused', 'search domain NXDOMAIN, then the as-is name REFUSED');
  t.same(stop.tried, ['closed.test.a.test', 'closed.test']);
  server.set('x.closed.test', { behaviour: 'refused' });
  const refusedFirst = await lookup('x', 'A', options({ search: ['closed.test', 'svc.cluster.local'], ndots: 5 }));
  t.same(refusedFirst.tried, ['x.closed.test'], 'REFUSED on a search domain stops the search');
});

t.test('a search list with a domain that cannot make a valid name: skipped, the lookup goes on', async (t) => {
  const conf = { search: ['a..b', `${'x'.repeat(64)}.test`, 'svc.cluster.local'], ndots: 5 };
  const s = await lookup('short', 'A', options(conf));
  t.ok(s.ok, 'found through the good domain');
  t.same(s.tried, ['short.svc.cluster.local']);
});

t.test('a second server is asked when the first fails', async (t) => {
  const dead = await startDnsServer({}, { unknown: 'servfail' });
  t.teardown(() => dead.close());
  const opts = options();
  opts.conf.nameservers = [{ host: dead.host, port: dead.port }, { host: server.host, port: server.port }];
  const r = await lookup('web.svc.cluster.local.', 'A', opts);
  t.ok(r.ok);
  t.equal(dead.queries.length, 1);
});

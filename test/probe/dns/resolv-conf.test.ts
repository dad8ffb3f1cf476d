import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadResolvConf, parseResolvConf, RESOLV_DEFAULTS } from '../../../src/probe/dns/resolv-conf.js';

t.test('parses a kubelet-written pod resolv.conf', async (t) => {
  const conf = parseResolvConf([
    'search team-a.svc.cluster.local svc.cluster.local cluster.local',
    'nameserver 10.96.0.10',
    'options ndots:5',
    '',
  ].join('\n'));
  t.same(conf.nameservers, [{ host: '10.96.0.10', port: 53 }]);
  t.same(conf.search, ['team-a.svc.cluster.local', 'svc.cluster.local', 'cluster.local']);
  t.equal(conf.ndots, 5);
  t.equal(conf.timeout, 5);
  t.equal(conf.attempts, 2);
});

t.test('follows libc: comments, last search/domain wins, 3 servers, caps, junk ignored', async (t) => {
  const conf = parseResolvConf([
    '# comment', '; comment too', 'nameserver 10.0.0.1 # trailing', 'nameserver fd00::10', 'nameserver bogus',
    'nameserver 10.0.0.3', 'nameserver 10.0.0.4', 'search a.example. b.example', 'domain only.example',
    'options ndots:99 timeout:0 attempts:9 use-vc rotate whatever:3', 'sortlist 10.0.0.0/8',
  ].join('\n'));
  t.same(conf.nameservers.map((n) => n.host), ['10.0.0.1', 'fd00::10', '10.0.0.3']);
  t.same(conf.search, ['only.example']);
  t.equal(conf.ndots, 15);
  t.equal(conf.timeout, 5, 'timeout:0 ignored');
  t.equal(conf.attempts, 5);
  t.equal(conf.useTcp, true);
  t.same(parseResolvConf('search x.\n').nameservers, RESOLV_DEFAULTS.nameservers, 'no nameserver: 127.0.0.1');
  t.same(parseResolvConf('domain a.b\nsearch c.d e.f\n').search, ['c.d', 'e.f']);
  t.same(parseResolvConf('nameserver 127.0.0.1#5353\nnameserver ::1#0\nnameserver 10.0.0.1#x\n').nameservers,
    [{ host: '127.0.0.1', port: 5353 }], 'IP#port extension, bad ports ignored');
});

t.test('a missing file yields the defaults; a real file is read', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-resolv-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  t.same(await loadResolvConf(join(dir, 'missing')), RESOLV_DEFAULTS);
  await writeFile(join(dir, 'resolv.conf'), 'nameserver 127.0.0.2\noptions timeout:1\n');
  const conf = await loadResolvConf(join(dir, 'resolv.conf'));
  t.equal(conf.nameservers[0]?.host, '127.0.0.2');
  t.equal(conf.timeout, 1);
});

t.test('a changed file is read again; the shared parse cannot be changed by a caller', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-resolv-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'resolv.conf');
  await writeFile(file, 'nameserver 127.0.0.2\n');
  const first = await loadResolvConf(file);
  t.throws(() => {
    first.nameservers[0]!.host = 'mutated';
  }, TypeError, 'a nameserver is frozen');
  t.throws(() => first.search.push('mutated'), TypeError, 'the search list is frozen');
  t.equal((await loadResolvConf(file)).nameservers[0]?.host, '127.0.0.2', 'reused parse unchanged');
  await writeFile(file, 'nameserver 127.0.0.3\nsearch a.test\n');
  const changed = await loadResolvConf(file);
  t.equal(changed.nameservers[0]?.host, '127.0.0.3', 'rewritten file (new size) read again');
  t.same(changed.search, ['a.test']);
  await rm(file);
  t.same(await loadResolvConf(file), RESOLV_DEFAULTS, 'removed file: defaults again');
});

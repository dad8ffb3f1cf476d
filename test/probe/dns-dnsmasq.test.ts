// The DNS client against a real server: dnsmasq, as in many clusters' node-local caches.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { findProgram } from '../../src/lab/programs.js';
import { probeDns } from '../../src/probe/dns.js';
import { probeTcp } from '../../src/probe/tcp.js';
import { startDnsmasq } from '../helpers/dnsmasq.js';
import { needPrograms } from '../helpers/need.js';
import { dnsPath, tcpPath } from '../helpers/paths.js';

const binary = findProgram('dnsmasq') ?? 'dnsmasq';

t.test('real dnsmasq: answers, NXDOMAIN, REFUSED, TCP, and a tcp check by name', async (t) => {
  if (!needPrograms(t, [binary], 'apt-get install dnsmasq-base')) return;
  const dnsmasq = await startDnsmasq(binary, ['--address=/svc.cluster.local/127.0.0.1', '--address=/gone.test/']);
  t.teardown(() => dnsmasq.close());
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-dnsmasq-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'resolv.conf'),
    `nameserver 127.0.0.1#${dnsmasq.port}\nsearch team-a.svc.cluster.local svc.cluster.local\noptions ndots:5 timeout:1\n`);
  const ctx = { signal: new AbortController().signal, resolvConfPath: join(dir, 'resolv.conf'), hostsPath: join(dir, 'none') };

  const ok = await probeDns(dnsPath('kubernetes.default.svc.cluster.local.'), ctx);
  t.equal(ok.result, 'ok', ok.detail);
  t.same(ok.addresses, ['127.0.0.1']);
  const viaTcp = await probeDns(dnsPath('vault.vault.svc.cluster.local.', { transport: 'tcp' }), ctx);
  t.equal(viaTcp.result, 'ok', `over TCP: ${viaTcp.detail}`);
  const nx = await probeDns(dnsPath('db.gone.test.'), ctx);
  t.equal(nx.result, 'dns_nxdomain', nx.detail);
  // With no upstream, dnsmasq refuses names it has no data for.
  const refused = await probeDns(dnsPath('example.org.'), ctx);
  t.equal(refused.result, 'dns_error', refused.detail);
  // The rcode from dnsmasq itself, not ECONNREFUSED from a port nobody listens on.
  t.match(refused.detail, `: REFUSED from 127.0.0.1:${dnsmasq.port}`);

  const server = net.createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise((r) => server.close(r)));
  const port = (server.address() as net.AddressInfo).port;
  const byName = await probeTcp(tcpPath('postgres', port), ctx);
  t.equal(byName.result, 'ok', `tcp to a search-list name: ${byName.detail}`);
  t.same(byName.addresses, ['127.0.0.1']);
});

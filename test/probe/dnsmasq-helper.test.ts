// The dnsmasq test helper under the conditions that once made dns-dnsmasq.test.ts fail on a busy
// machine: its port already taken (here: TCP held, UDP free, so a query gets ECONNREFUSED while
// dnsmasq exits with "Address already in use"), and ports crowded by client sockets.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import t from 'tap';
import { findProgram } from '../../src/lab/programs.js';
import { lookup } from '../../src/probe/dns/resolver.js';
import { RESOLV_DEFAULTS } from '../../src/probe/dns/resolv-conf.js';
import { ephemeralLow, randomPortBelowEphemeral, startDnsmasq } from '../helpers/dnsmasq.js';
import { needPrograms } from '../helpers/need.js';

const binary = findProgram('dnsmasq') ?? 'dnsmasq';

async function ask(port: number, transport: 'udp' | 'tcp'): Promise<string> {
  const r = await lookup('x.gone.test.', 'A', {
    conf: { ...RESOLV_DEFAULTS, nameservers: [{ host: '127.0.0.1', port }], timeout: 2, attempts: 1 },
    transport, signal: new AbortController().signal, deadline: performance.now() + 2000,
  });
  return r.ok ? 'answer' : `${r.kind}: ${r.detail}`;
}

t.test('ports are picked below the ephemeral range (client sockets and TIME_WAIT hold ports in it)', async (t) => {
  const low = ephemeralLow();
  t.ok(low > 1024 && low < 65_536, `ephemeral range starts at ${low}`);
  for (let i = 0; i < 200; i++) {
    const port = randomPortBelowEphemeral();
    if (port < 20_000 || (low > 21_000 ? port >= low : port > 60_999)) return t.fail(`port ${port} out of range`);
  }
  t.pass('200 picks in range');
});

t.test('a taken port is not mistaken for a started dnsmasq: the next port is tried', async (t) => {
  if (!needPrograms(t, [binary], 'apt-get install dnsmasq-base')) return;
  const holder = net.createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise((r) => holder.close(r)));
  const held = (holder.address() as net.AddressInfo).port;
  const picked: number[] = [];
  const dnsmasq = await startDnsmasq(binary, ['--address=/gone.test/'], {
    pickPort: () => {
      picked.push(picked.length === 0 ? held : randomPortBelowEphemeral());
      return picked[picked.length - 1] as number;
    },
  });
  t.teardown(() => dnsmasq.close());
  t.equal(picked[0], held, 'first try: the port our TCP listener holds');
  t.not(dnsmasq.port, held, `moved on to ${dnsmasq.port}`);
  t.equal(picked.length, 2);
  // Ready means answering right away, over both transports, with dnsmasq's own NXDOMAIN.
  t.match(await ask(dnsmasq.port, 'udp'), `nxdomain: x.gone.test: NXDOMAIN from 127.0.0.1:${dnsmasq.port}`);
  t.match(await ask(dnsmasq.port, 'tcp'), `nxdomain: x.gone.test: NXDOMAIN from 127.0.0.1:${dnsmasq.port}`);
});

t.test('a dnsmasq that cannot start is reported with its own words, not retried', async (t) => {
  if (!needPrograms(t, [binary], 'apt-get install dnsmasq-base')) return;
  let picks = 0;
  const pickPort = (): number => { picks++; return randomPortBelowEphemeral(); };
  await t.rejects(startDnsmasq(binary, ['--no-such-option'], { pickPort }), /dnsmasq on port \d+ exited: dnsmasq: bad command line/);
  t.equal(picks, 1, 'one try: only "Address already in use" moves to another port');
});

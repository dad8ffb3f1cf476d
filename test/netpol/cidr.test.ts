import t from 'tap';
import { cidrContains, cidrWithin, hostCidr, parseCidr, parseIp } from '../../src/netpol/cidr.js';

t.test('IPv4 containment, host bits cleared, boundaries', async (t) => {
  const c = parseCidr('10.1.2.3/16')!;
  t.equal(c.network, parseIp('10.1.0.0')!.value);
  t.ok(cidrContains(c, parseIp('10.1.255.255')!));
  t.notOk(cidrContains(c, parseIp('10.2.0.0')!));
  t.ok(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('203.0.113.7')!));
  t.ok(cidrContains(parseCidr('192.168.1.1/32')!, parseIp('192.168.1.1')!));
  t.notOk(cidrContains(parseCidr('192.168.1.1/32')!, parseIp('192.168.1.2')!));
});

t.test('IPv6 forms: ::, embedded IPv4, families never mix', async (t) => {
  t.equal(parseIp('::1')!.value, 1n);
  t.equal(parseIp('2001:db8::')!.value, 0x20010db8n << 96n);
  t.equal(parseIp('::ffff:10.0.0.1')!.value, (0xffffn << 32n) | 0x0a000001n);
  t.ok(cidrContains(parseCidr('2001:db8::/32')!, parseIp('2001:db8:ffff::1')!));
  t.notOk(cidrContains(parseCidr('2001:db8::/32')!, parseIp('2001:db9::1')!));
  t.notOk(cidrContains(parseCidr('::/0')!, parseIp('10.0.0.1')!), 'an IPv6 block never holds an IPv4 address');
  t.notOk(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('::1')!));
  t.ok(cidrContains(parseCidr('fd00::/8')!, parseIp('fdab:1234::5')!));
});

t.test('malformed input and subsets', async (t) => {
  t.equal(parseCidr('10.0.0.0'), undefined);
  t.equal(parseCidr('10.0.0.0/33'), undefined);
  t.equal(parseCidr('2001:db8::/129'), undefined);
  t.equal(parseCidr('10.0.0.256/8'), undefined);
  t.equal(parseIp('vault.example'), undefined);
  t.ok(cidrWithin(parseCidr('10.1.0.0/16')!, parseCidr('10.0.0.0/8')!));
  t.notOk(cidrWithin(parseCidr('11.0.0.0/16')!, parseCidr('10.0.0.0/8')!));
  t.equal(hostCidr('203.0.113.9'), '203.0.113.9/32');
  t.equal(hostCidr('2001:db8::9'), '2001:db8::9/128');
});

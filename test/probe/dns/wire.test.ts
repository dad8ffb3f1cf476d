import t, { type Test } from 'tap';
import { decodeMessage } from '../../../src/probe/dns/decode.js';
import { encodeMessage, encodeQuery, nameLabels } from '../../../src/probe/dns/encode.js';
import { bytesToIpv6, ipv6ToBytes } from '../../../src/probe/dns/ip-address.js';
import { DnsFormatError, RCODE, TYPE_CODE, type DnsMessage } from '../../../src/probe/dns/message.js';

// A response to "example.com A" written by hand from RFC 1035 §4: the answer's owner is a
// compression pointer (0xc00c) to the question name.
const HAND_WRITTEN = Buffer.from(
  'abcd8180000100010000000007' + '6578616d706c65' + '03636f6d00' + '00010001' +
    'c00c' + '0001' + '0001' + '0000012c' + '0004' + '5db8d822',
  'hex',
);

t.test('decodes a hand-written response with a compression pointer', async (t) => {
  const m = decodeMessage(HAND_WRITTEN);
  t.equal(m.id, 0xabcd);
  t.ok(m.flags.response);
  t.ok(m.flags.recursionAvailable);
  t.equal(m.flags.rcode, RCODE.NOERROR);
  t.same(m.questions, [{ name: 'example.com', type: 1, class: 1 }]);
  t.same(m.answers, [{ name: 'example.com', ttl: 300, data: { type: 'A', address: '93.184.216.34' } }]);
});

t.test('encodes a query byte-for-byte as RFC 1035 lays it out', async (t) => {
  t.equal(encodeQuery(0xabcd, 'example.com.', TYPE_CODE.A).toString('hex'),
    'abcd01000001000000000000076578616d706c6503636f6d0000010001');
});

t.test('round-trips every supported type, compressing repeated names', async (t) => {
  const message: DnsMessage = {
    id: 7,
    flags: { response: true, opcode: 0, authoritative: true, truncated: false, recursionDesired: true, recursionAvailable: true, rcode: 0 },
    questions: [{ name: 'web.team-a.svc.cluster.local', type: TYPE_CODE.SRV, class: 1 }],
    answers: [
      { name: 'web.team-a.svc.cluster.local', ttl: 5, data: { type: 'CNAME', target: 'pod.team-a.svc.cluster.local' } },
      { name: 'pod.team-a.svc.cluster.local', ttl: 5, data: { type: 'A', address: '10.1.2.3' } },
      { name: 'pod.team-a.svc.cluster.local', ttl: 5, data: { type: 'AAAA', address: 'fd00::1:0:0:2' } },
      { name: 'web.team-a.svc.cluster.local', ttl: 5, data: { type: 'SRV', priority: 0, weight: 100, port: 8443, target: 'pod.team-a.svc.cluster.local' } },
      { name: 'web.team-a.svc.cluster.local', ttl: 5, data: { type: 'TXT', strings: ['v=1', '', 'x y'] } },
      { name: 'web.team-a.svc.cluster.local', ttl: 5, data: { type: 'raw', code: 99, bytes: Buffer.from([1, 2, 3]) } },
    ],
    authorities: [],
    additionals: [],
  };
  const wire = encodeMessage(message);
  t.same(decodeMessage(wire), message);
  // Without compression the owner name alone (30 bytes) would be written 6 more times.
  t.ok(wire.length < 250, `compressed to ${wire.length} bytes`);
  t.ok(wire.includes(Buffer.from([0xc0, 0x0c])), 'uses a pointer to the question name');
});

t.test('IPv6 text conversion follows RFC 5952', async (t) => {
  for (const [input, out] of [
    ['::1', '::1'], ['::', '::'], ['FD00:0:0:0:0:0:0:1', 'fd00::1'], ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'], ['::ffff:10.0.0.1', '::ffff:a00:1'], ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ] as const) {
    t.equal(bytesToIpv6(ipv6ToBytes(input)), out, input);
  }
  t.throws(() => ipv6ToBytes('1.2.3.4'));
});

function malformed(t: Test, name: string, buf: Buffer, pattern: RegExp): void {
  t.throws(() => decodeMessage(buf), pattern, name);
  try {
    decodeMessage(buf);
  } catch (e) {
    t.ok(e instanceof DnsFormatError, `${name}: DnsFormatError`);
  }
}

t.test('rejects malformed and hostile messages', async (t) => {
  const header = (qd: number, an: number): string =>
    'abcd8180' + [qd, an, 0, 0].map((n) => n.toString(16).padStart(4, '0')).join('');
  malformed(t, 'short header', Buffer.from('abcd81', 'hex'), /shorter than a header/);
  malformed(t, 'counts beyond the buffer', Buffer.from(header(1, 2000) + '0000010001', 'hex'), /more than/);
  malformed(t, 'self pointer loop', Buffer.from(header(1, 0) + 'c00c00010001', 'hex'), /backwards/);
  malformed(t, 'forward pointer', Buffer.from(header(1, 0) + 'c0100001000100', 'hex'), /backwards/);
  malformed(t, 'label past the end', Buffer.from(header(1, 0) + '3f616263646566', 'hex'), /past the end/);
  malformed(t, 'reserved label type', Buffer.from(header(1, 0) + '4000010001', 'hex'), /label type/);
  const longName = Array.from({ length: 5 }, () => '3f' + '61'.repeat(63)).join('') + '00';
  malformed(t, 'name over 255 bytes', Buffer.from(header(1, 0) + longName + '00010001', 'hex'), /longer than 255/);
  const q = '01610000010001';
  malformed(t, 'A with 5 bytes', Buffer.from(header(1, 1) + q + 'c00c000100010000000a00050a00000101', 'hex'), /expected 4/);
  malformed(t, 'rdlength past the end', Buffer.from(header(1, 1) + q + 'c00c000100010000000a00200a000001', 'hex'), /truncated/);
  malformed(t, 'TXT string past its data', Buffer.from(header(1, 1) + q + 'c00c001000010000000a0002056162', 'hex'), /TXT/);
  malformed(t, 'CNAME past its data', Buffer.from(header(1, 1) + q + 'c00c000500010000000a0001' + '01620000', 'hex'), /past its record data/);
  malformed(t, 'oversized', Buffer.alloc(70_000), /too big/);
});

t.test('refuses to encode bad names', async (t) => {
  t.throws(() => nameLabels('a..b'), /empty label/);
  t.throws(() => nameLabels(`${'a'.repeat(64)}.com`), /longer than 63/);
  t.throws(() => nameLabels(Array.from({ length: 5 }, () => 'a'.repeat(63)).join('.')), /longer than 255/);
  t.same(nameLabels('.').length, 0);
});

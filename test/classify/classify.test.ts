import t from 'tap';
import net from 'node:net';
import { behavedAsDeclared } from '../../src/agent/judge.js';
import {
  classifyDnsFailure, classifyFailure, DNS_FAILURE_KINDS, timeoutClassFor, type ProbeStage,
} from '../../src/classify/classify.js';
import { collectErrorFacts, describeFacts } from '../../src/classify/error-facts.js';
import type { ResultClass } from '../../src/classify/result-class.js';

function sysError(code: string, message = `connect ${code} 127.0.0.1:1`): Error {
  return Object.assign(new Error(message), { code, syscall: 'connect' });
}
/** undici wraps the OS error: UND_ERR_SOCKET / TypeError("fetch failed") style `.cause`. */
function wrapped(inner: unknown, code?: string): Error {
  const e = new Error('outer failure', { cause: inner });
  return code ? Object.assign(e, { code }) : e;
}
function aggregate(...errors: unknown[]): AggregateError {
  return new AggregateError(errors, '');
}
function abortError(): Error {
  return Object.assign(new Error('This operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
}

const cases: Array<[string, { error?: unknown; phase: ProbeStage; timedOut?: boolean }, ResultClass]> = [
  ['refused', { error: sysError('ECONNREFUSED'), phase: 'connect' }, 'refused'],
  ['refused wrapped twice', { error: wrapped(wrapped(sysError('ECONNREFUSED'))), phase: 'connect' }, 'refused'],
  ['refused in happy-eyeballs AggregateError', { error: aggregate(sysError('ECONNREFUSED'), sysError('ECONNREFUSED')), phase: 'connect' }, 'refused'],
  ['refused beats timeout in an aggregate', { error: aggregate(sysError('ETIMEDOUT'), sysError('ECONNREFUSED')), phase: 'connect' }, 'refused'],
  ['ETIMEDOUT before handshake', { error: sysError('ETIMEDOUT'), phase: 'connect' }, 'timeout'],
  ['aggregate of timeouts before handshake', { error: wrapped(aggregate(sysError('ETIMEDOUT'), sysError('ETIMEDOUT'))), phase: 'connect' }, 'timeout'],
  ['abort before handshake', { error: abortError(), phase: 'connect' }, 'timeout'],
  ['deadline flag before handshake', { error: sysError('ECONNRESET'), phase: 'connect', timedOut: true }, 'timeout'],
  ['deadline during TLS handshake', { error: abortError(), phase: 'tls', timedOut: true }, 'http_timeout'],
  ['deadline waiting for headers', { phase: 'response', timedOut: true }, 'http_timeout'],
  ['deadline during body', { error: abortError(), phase: 'body', timedOut: true }, 'http_timeout'],
  ['undici headers timeout', { error: wrapped(Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' })), phase: 'response' }, 'http_timeout'],
  ['undici connect timeout', { error: Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }), phase: 'connect' }, 'timeout'],
  ['host unreachable', { error: sysError('EHOSTUNREACH'), phase: 'connect' }, 'unreachable'],
  ['net unreachable wrapped', { error: wrapped(sysError('ENETUNREACH'), 'UND_ERR_CONNECT'), phase: 'connect' }, 'unreachable'],
  ['host down', { error: sysError('EHOSTDOWN'), phase: 'connect' }, 'unreachable'],
  ['net down in aggregate', { error: aggregate(sysError('ENETDOWN')), phase: 'connect' }, 'unreachable'],
  ['no local address: a fault of the agent\'s host, not the network', { error: sysError('EADDRNOTAVAIL'), phase: 'connect' }, 'error'],
  ['reset after connect', { error: sysError('ECONNRESET', 'read ECONNRESET'), phase: 'response' }, 'reset'],
  ['EPIPE while writing', { error: sysError('EPIPE', 'write EPIPE'), phase: 'request' }, 'reset'],
  ['undici other side closed', { error: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), phase: 'response' }, 'reset'],
  ['other side closed by message only', { error: wrapped(new Error('other side closed')), phase: 'body' }, 'reset'],
  ['reset during TLS handshake', { error: sysError('ECONNRESET', 'Client network socket disconnected before secure TLS connection was established'), phase: 'tls' }, 'reset'],
  ['self-signed cert', { error: Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), phase: 'tls' }, 'tls_error'],
  ['unknown CA wrapped', { error: wrapped(Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' })), phase: 'tls' }, 'tls_error'],
  ['expired cert', { error: Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }), phase: 'tls' }, 'tls_error'],
  ['altname mismatch', { error: Object.assign(new Error("Hostname/IP does not match certificate's altnames"), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }), phase: 'tls' }, 'tls_error'],
  ['ssl alert', { error: Object.assign(new Error('tlsv1 alert'), { code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', library: 'SSL routines' }), phase: 'tls' }, 'tls_error'],
  ['EPROTO during TLS', { error: sysError('EPROTO', 'wrong version number'), phase: 'tls' }, 'tls_error'],
  ['EPROTO outside TLS is not tls_error', { error: sysError('EPROTO'), phase: 'response' }, 'error'],
  ['parser error', { error: Object.assign(new Error('Response does not match the HTTP/1.1 protocol'), { code: 'HPE_INVALID_CONSTANT' }), phase: 'response' }, 'error'],
  ['plain Error', { error: new Error('boom'), phase: 'request' }, 'error'],
  ['a thrown string', { error: 'weird', phase: 'connect' }, 'error'],
  ['resolve: ENOTFOUND', { error: sysError('ENOTFOUND', 'getaddrinfo ENOTFOUND x'), phase: 'resolve' }, 'dns_nxdomain'],
  ['resolve: EAI_AGAIN', { error: sysError('EAI_AGAIN'), phase: 'resolve' }, 'dns_timeout'],
  ['resolve: deadline', { phase: 'resolve', timedOut: true }, 'dns_timeout'],
  ['resolve: anything else is dns_error, never error', { error: new Error('boom'), phase: 'resolve' }, 'dns_error'],
];

t.test('classifyFailure maps every case to its class', async (t) => {
  const covered = new Set<ResultClass>();
  for (const [name, input, expected] of cases) {
    const got = classifyFailure({ timedOut: false, ...input });
    t.equal(got.result, expected, name);
    t.ok(got.detail.length > 0, `${name}: has detail`);
    covered.add(got.result);
  }
  for (const c of ['refused', 'timeout', 'unreachable', 'reset', 'tls_error', 'http_timeout', 'error', 'dns_nxdomain', 'dns_timeout', 'dns_error'] as const) {
    t.ok(covered.has(c), `table covers ${c}`);
  }
});

t.test('timeout class is phase-aware', async (t) => {
  t.equal(timeoutClassFor('resolve'), 'dns_timeout');
  t.equal(timeoutClassFor('connect'), 'timeout');
  for (const p of ['tls', 'request', 'response', 'body'] as const) t.equal(timeoutClassFor(p), 'http_timeout', p);
});

t.test('dns failure kinds map to dns classes', async (t) => {
  const expected: Record<string, ResultClass> = {
    nxdomain: 'dns_nxdomain', timeout: 'dns_timeout', nodata: 'dns_error', servfail: 'dns_error',
    refused: 'dns_error', formerr: 'dns_error', malformed: 'dns_error', neterror: 'dns_error',
  };
  for (const k of DNS_FAILURE_KINDS) t.equal(classifyDnsFailure(k), expected[k], k);
});

t.test('error facts walk causes and aggregates, bounded and cycle-safe', async (t) => {
  const cyclic: Error & { cause?: unknown } = new Error('loop');
  cyclic.cause = cyclic;
  const facts = collectErrorFacts(wrapped(aggregate(sysError('ECONNREFUSED'), cyclic), 'UND_ERR_CONNECT'));
  t.same(facts.codes, ['UND_ERR_CONNECT', 'ECONNREFUSED']);
  t.ok(facts.messages.includes('loop'));
  const deep = Array.from({ length: 1000 }).reduce<Error>((inner) => wrapped(inner), sysError('ECONNRESET'));
  t.doesNotThrow(() => collectErrorFacts(deep));
  t.ok(describeFacts(collectErrorFacts(new Error('x'.repeat(1000)))).length <= 300);
});

t.test('running out of file descriptors is flagged from the error code, not from the text', async (t) => {
  const emfile = Object.assign(new Error('connect EMFILE'), { code: 'EMFILE' });
  const enfile = new AggregateError([Object.assign(new Error('x'), { code: 'ENFILE' })], 'all failed');
  t.equal(classifyFailure({ error: emfile, phase: 'connect', timedOut: false }).outOfDescriptors, true, 'EMFILE');
  t.equal(classifyFailure({ error: enfile, phase: 'connect', timedOut: false }).outOfDescriptors, true, 'ENFILE inside an aggregate');
  const refused = Object.assign(new Error('EMFILE in a message only'), { code: 'ECONNREFUSED' });
  t.notOk(classifyFailure({ error: refused, phase: 'connect', timedOut: false }).outOfDescriptors, 'a message naming EMFILE is not the code');
  t.equal(classifyFailure({ error: emfile, phase: 'connect', timedOut: false }).result, 'error', 'the class is unchanged');
});

t.test('a real EADDRNOTAVAIL (a local address this host lacks) is error, and the path counts as neither up nor isolated', async (t) => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const { port } = server.address() as net.AddressInfo;
  // 192.0.2.1 (TEST-NET-1) is on no interface here: the kernel refuses it as a source, before any packet.
  const error = await new Promise<unknown>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: '192.0.2.1' });
    socket.on('connect', () => { socket.destroy(); resolve(undefined); });
    socket.on('error', resolve);
  });
  t.match(error, { code: 'EADDRNOTAVAIL' }, 'the kernel says so');
  const c = classifyFailure({ error, phase: 'connect', timedOut: false });
  t.equal(c.result, 'error');
  t.match(c.detail, /nothing was sent/);
  t.equal(behavedAsDeclared('blocked', c.result), false, 'a blocked path is not up on it');
  t.equal(behavedAsDeclared('reachable', c.result), false, 'nor a reachable one');
});

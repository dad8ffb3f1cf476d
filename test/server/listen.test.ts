import t from 'tap';
import { connect, createServer } from 'node:net';
import { SECURITY_HEADERS } from '../../src/server/security-headers.js';
import { request } from 'undici';
import { Registry } from 'prom-client';
import { buildApp } from '../../src/server/app.js';
import { DEFAULT_LISTEN, listen, parseListenAddress } from '../../src/server/listen.js';
import { PathprobeError, UsageError } from '../../src/errors.js';
import { MemoryStatusReader, platformStatuses } from '../helpers/status-fixtures.js';

t.test('listen addresses: host:port, :port, [v6]:port, default', async (t) => {
  t.same(parseListenAddress(), { host: '0.0.0.0', port: 9477 });
  t.equal(DEFAULT_LISTEN, '0.0.0.0:9477');
  t.same(parseListenAddress(''), { host: '0.0.0.0', port: 9477 });
  t.same(parseListenAddress(':8080'), { host: '0.0.0.0', port: 8080 });
  t.same(parseListenAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
  t.same(parseListenAddress('localhost:9477'), { host: 'localhost', port: 9477 });
  t.same(parseListenAddress('[::]:9477'), { host: '::', port: 9477 });
  t.same(parseListenAddress('[::1]:1'), { host: '::1', port: 1 });
  for (const bad of ['9477', 'host', ':', ':65536', ':-1', '::1:9477', '[::1]', 'a b:1', 'host:port', '[::1]:x', 'http://0.0.0.0:9477']) {
    t.throws(() => parseListenAddress(bad), UsageError, bad);
  }
  const err = (() => {
    try {
      parseListenAddress(':99999');
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  t.match(err, { code: 'PP_USAGE', message: /":99999"/, hint: /\[::\]:9477/ });
});

t.test('listens on loopback port 0 and serves real HTTP', async (t) => {
  const app = buildApp({ registry: new Registry(), status: new MemoryStatusReader(platformStatuses()), version: '0.1.0' });
  t.teardown(() => app.close());
  const where = await listen(app, '127.0.0.1:0');
  t.equal(where.host, '127.0.0.1');
  t.ok(where.port > 0);
  t.equal(where.url, `http://127.0.0.1:${where.port}/`);
  const res = await request(`${where.url}-/healthy`, { headersTimeout: 5000, bodyTimeout: 5000 });
  t.equal(res.statusCode, 200);
  t.equal(await res.body.text(), 'OK');
  const api = await request(`${where.url}api/v1/paths`, { headersTimeout: 5000, bodyTimeout: 5000 });
  t.equal(((await api.body.json()) as { paths: unknown[] }).paths.length, 8);
});

t.test('a taken port is a PathprobeError with a hint', async (t) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = (blocker.address() as { port: number }).port;
  const app = buildApp({ registry: new Registry(), status: new MemoryStatusReader([]), version: '0.1.0' });
  t.teardown(() => app.close());
  const err = await listen(app, `127.0.0.1:${port}`).then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof PathprobeError, 'a PathprobeError');
  t.match(err, { code: 'PP_LISTEN', message: /127\.0\.0\.1:\d+ \(EADDRINUSE\)/, hint: /--listen/ });
});

/** Sends `bytes` on a raw connection and reads until the server closes it (bounded: 5 s, 64 KiB). */
function rawExchange(port: number, bytes: string): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => { socket.destroy(); resolve({ text, closed: false }); }, 5000);
    socket.on('data', (d: Buffer) => { if (text.length < 65_536) text += d.toString('latin1'); });
    socket.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') { clearTimeout(timer); reject(e); } });
    socket.on('close', () => { clearTimeout(timer); resolve({ text, closed: true }); });
    socket.write(bytes);
  });
}

t.test("requests Node.js's parser rejects get the same JSON errors and security headers, then the connection closes", async (t) => {
  const app = buildApp({ registry: new Registry(), status: new MemoryStatusReader([]), version: '0.1.0' });
  t.teardown(() => app.close());
  const { port } = await listen(app, '127.0.0.1:0');
  const cases = [
    { what: 'headers over the 16 KiB limit', bytes: `GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, status: 431, code: 'PP_HTTP_HEADERS_TOO_LARGE' },
    { what: 'bytes that are not HTTP', bytes: 'HELLO THERE\r\n\r\n', status: 400, code: 'PP_HTTP_BAD_REQUEST' },
    { what: 'a header line without a colon', bytes: 'GET / HTTP/1.1\r\nHost x\r\n\r\n', status: 400, code: 'PP_HTTP_BAD_REQUEST' },
  ];
  for (const c of cases) {
    const { text, closed } = await rawExchange(port, c.bytes);
    t.ok(closed, `${c.what}: the server closed the connection`);
    const [head = '', body = ''] = text.split('\r\n\r\n');
    t.match(head, new RegExp(`^HTTP/1\\.1 ${c.status} `), `${c.what}: ${c.status}`);
    const headers = Object.fromEntries(head.split('\r\n').slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) t.equal(headers[k], v, `${c.what}: ${k}`);
    t.equal(headers['content-type'], 'application/json; charset=utf-8', `${c.what}: JSON`);
    t.equal(Number(headers['content-length']), Buffer.byteLength(body), `${c.what}: content-length matches the body`);
    t.match(JSON.parse(body), { statusCode: c.status, code: c.code, message: /\w/ }, `${c.what}: the ApiError body`);
  }
  // The server still answers well-formed requests afterwards.
  const res = await request(`http://127.0.0.1:${port}/-/healthy`, { headersTimeout: 5000, bodyTimeout: 5000 });
  t.equal(res.statusCode, 200);
  await res.body.text();
});

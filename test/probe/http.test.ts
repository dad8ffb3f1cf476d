import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { getEventListeners } from 'node:events';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { probeHttp } from '../../src/probe/http.js';
import { httpPath } from '../helpers/paths.js';
import { startStalledListener } from '../helpers/stalled-listener.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** An http server on 127.0.0.1:0 that is torn down (connections included) with the test. */
async function serve(t: Test, handler: Handler): Promise<number> {
  const server = http.createServer(handler);
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    return new Promise((r) => server.close(r));
  });
  return (server.address() as net.AddressInfo).port;
}

let dir: string;
t.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pathprobe-http-'));
  await writeFile(join(dir, 'hosts'), '127.0.0.1 svc.test other.test\n');
});
t.teardown(() => rm(dir, { recursive: true, force: true }));
const ctx = () => ({ signal: new AbortController().signal, hostsPath: join(dir, 'hosts'), resolvConfPath: join(dir, 'none') });

t.test('ok: connects to the resolved address, sends the URL host, times every phase', async (t) => {
  const seen: http.IncomingHttpHeaders[] = [];
  const port = await serve(t, (req, res) => {
    seen.push(req.headers);
    res.end('hello');
  });
  const out = await probeHttp(httpPath(`http://svc.test:${port}/health?x=1`), ctx());
  t.equal(out.result, 'ok', out.detail);
  t.equal(out.status, 200);
  t.same(out.addresses, ['127.0.0.1']);
  t.equal(seen[0]?.host, `svc.test:${port}`);
  t.equal(seen[0]?.['accept-encoding'], undefined, 'no Accept-Encoding sent');
  t.match(seen[0]?.['user-agent'], /^pathprobe\//);
  for (const phase of ['resolve', 'connect', 'processing', 'transfer', 'total'] as const) {
    t.ok((out.phases[phase] ?? -1) >= 0, `phase ${phase}`);
  }
  t.equal(out.phases.tls, undefined, 'no tls phase for http');
});

t.test('http_status: status not in expectStatus; custom headers and HEAD sent', async (t) => {
  let method = '';
  let custom: string | undefined;
  const port = await serve(t, (req, res) => {
    method = req.method ?? '';
    custom = req.headers['x-probe'] as string | undefined;
    res.writeHead(503).end();
  });
  const out = await probeHttp(httpPath(`http://svc.test:${port}/`, { method: 'HEAD', headers: { 'x-probe': 'yes' } }), ctx());
  t.equal(out.result, 'http_status', out.detail);
  t.equal(out.status, 503);
  t.match(out.detail, /503, expected 200/);
  t.equal(method, 'HEAD');
  t.equal(custom, 'yes');
  const any2xx = await probeHttp(httpPath(`http://svc.test:${port}/`, { expectStatus: [503] }), ctx());
  t.equal(any2xx.result, 'ok', 'expectStatus [503] accepts 503');
});

t.test('101 Switching Protocols (not asked for) is http_status at once, not http_timeout at the deadline', async (t) => {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise((r) => server.close(r)));
  const port = (server.address() as net.AddressInfo).port;
  const out = await probeHttp(httpPath(`http://svc.test:${port}/`, {}, 1000), ctx());
  t.equal(out.result, 'http_status', out.detail);
  t.equal(out.status, 101);
  t.match(out.detail, /status 101, expected 200/);
  t.ok(out.durationSeconds < 0.5, `returned after ${out.durationSeconds}s`);
});

t.test('bytes after a complete response (a body sent to HEAD, to a 204 or 304, past Content-Length) do not undo it', async (t) => {
  // The stray bytes come in the same segment as the answer: node:http's parser fails on them
  // right after the response completed, before the body read ended.
  const cases: Array<[string, 'GET' | 'HEAD', string, number, RegExp]> = [
    ['body sent to HEAD', 'HEAD', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello', 200, /status 200 \(0 body bytes\)/],
    ['body sent with 204', 'GET', 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello', 204, /status 204 \(0 body bytes\)/],
    ['body sent with 304', 'GET', 'HTTP/1.1 304 Not Modified\r\n\r\nhello', 304, /status 304 \(0 body bytes\)/],
    ['more than Content-Length', 'GET', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA\r\n\r\n', 200, /status 200 \(2 body bytes\)/],
  ];
  for (const [name, method, answer, status, detail] of cases) {
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.write(answer));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.teardown(() => new Promise((r) => server.close(r)));
    const port = (server.address() as net.AddressInfo).port;
    const out = await probeHttp(httpPath(`http://svc.test:${port}/`, { method, expectStatus: [status] }), ctx());
    t.equal(out.result, 'ok', `${name}: ${out.detail}`);
    t.equal(out.status, status, name);
    t.match(out.detail, detail, name);
  }
});

t.test('http_timeout: connected, but the server never answers', async (t) => {
  const port = await serve(t, () => {});
  const out = await probeHttp(httpPath(`http://svc.test:${port}/`, {}, 400), ctx());
  t.equal(out.result, 'http_timeout', out.detail);
  t.ok(out.durationSeconds >= 0.38 && out.durationSeconds < 0.8, `returned after ${out.durationSeconds}s`);
  t.ok((out.phases.processing ?? 0) >= 0.35, 'the wait is in processing');
});

t.test('timeout (not http_timeout) when the TCP handshake never completes', async (t) => {
  const stalled = await startStalledListener();
  t.teardown(() => stalled.close());
  const out = await probeHttp(httpPath(`http://svc.test:${stalled.port}/`, {}, 400), ctx());
  t.equal(out.result, 'timeout', out.detail);
  t.ok(out.durationSeconds < 0.8, `returned after ${out.durationSeconds}s`);
});

t.test('refused and reset', async (t) => {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const closedPort = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  t.equal((await probeHttp(httpPath(`http://svc.test:${closedPort}/`), ctx())).result, 'refused');
  const port = await serve(t, () => {});
  // Reset as soon as the request arrives: accepted, then reset.
  const resetting = http.createServer((req) => req.socket.resetAndDestroy());
  await new Promise<void>((r) => resetting.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise((r) => resetting.close(r)));
  const out = await probeHttp(httpPath(`http://svc.test:${(resetting.address() as net.AddressInfo).port}/`), ctx());
  t.equal(out.result, 'reset', out.detail);
  t.ok(port > 0);
});

t.test('slow body: the transfer phase measures it', async (t) => {
  const port = await serve(t, (_req, res) => {
    res.writeHead(200);
    res.write('a');
    setTimeout(() => res.end('b'), 300);
  });
  const out = await probeHttp(httpPath(`http://svc.test:${port}/`, { bodyMatch: '^ab$' }), ctx());
  t.equal(out.result, 'ok', out.detail);
  t.ok((out.phases.transfer ?? 0) >= 0.28, `transfer ${out.phases.transfer}s`);
  t.ok((out.phases.processing ?? 1) < 0.2, `processing ${out.phases.processing}s`);
  const slow = await probeHttp(httpPath(`http://svc.test:${port}/`, {}, 150), ctx());
  t.equal(slow.result, 'http_timeout', 'deadline during the body');
});

t.test('processing ends at the first response byte, not when the head is complete', async (t) => {
  // A raw server: after 100 ms the status line, then the rest of the head 300 ms later.
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => {
      setTimeout(() => {
        socket.write('HTTP/1.1 200 OK\r\n');
        setTimeout(() => socket.end('content-length: 2\r\nconnection: close\r\n\r\nok'), 300);
      }, 100);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise((r) => server.close(r)));
  const out = await probeHttp(httpPath(`http://svc.test:${(server.address() as net.AddressInfo).port}/`), ctx());
  t.equal(out.result, 'ok', out.detail);
  const processing = out.phases.processing ?? 0;
  const transfer = out.phases.transfer ?? 0;
  t.ok(processing >= 0.09 && processing < 0.3, `processing ${processing}s: up to the status line (100 ms), not the whole head (400 ms)`);
  t.ok(transfer >= 0.28, `transfer ${transfer}s: the rest of the head and the body`);
});

t.test('endless body: read at most maxBodyBytes, then stop and close', async (t) => {
  let sent = 0;
  let closed = false;
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const port = await serve(t, (req, res) => {
    res.writeHead(200);
    req.socket.on('close', () => { closed = true; });
    const pump = (): void => {
      while (!closed && sent < 512 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
      if (!closed) res.once('drain', pump);
    };
    pump();
  });
  const before = process.memoryUsage().rss;
  const out = await probeHttp(httpPath(`http://svc.test:${port}/`, { maxBodyBytes: 100_000, bodyMatch: 'xxx' }, 3000), ctx());
  t.equal(out.result, 'ok', out.detail);
  t.match(out.detail, /100000 body bytes, stopped at maxBodyBytes/);
  t.ok(out.durationSeconds < 1, `returned after ${out.durationSeconds}s`);
  await new Promise((r) => setTimeout(r, 50));
  t.ok(closed, 'the connection was closed');
  t.ok(sent < 32 * 1024 * 1024, `server managed to send only ${sent} bytes`);
  t.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'memory stayed bounded');
});

t.test('bodyMatch: a body that does not match is http_status', async (t) => {
  const port = await serve(t, (_req, res) => res.end('{"status":"degraded"}'));
  const bad = await probeHttp(httpPath(`http://svc.test:${port}/`, { bodyMatch: '"status":"ok"' }), ctx());
  t.equal(bad.result, 'http_status', bad.detail);
  t.match(bad.detail, /does not match/);
  const good = await probeHttp(httpPath(`http://svc.test:${port}/`, { bodyMatch: 'degraded' }), ctx());
  t.equal(good.result, 'ok');
  const invalid = await probeHttp(httpPath(`http://svc.test:${port}/`, { bodyMatch: '(' }), ctx());
  t.equal(invalid.result, 'error', 'an invalid expression is a configuration error');
});

t.test('redirects: off by default; followed up to N hops on the same host only', async (t) => {
  const hits: string[] = [];
  let port = 0;
  port = await serve(t, (req, res) => {
    hits.push(req.url ?? '');
    const to: Record<string, string> = {
      '/a': '/b', '/b': '/c', '/away': `http://other.test:${port}/c`, '/ftp': 'ftp://svc.test/c', '/port0': 'http://svc.test:0/c',
    };
    const location = to[req.url ?? ''];
    if (location) res.writeHead(302, { location }).end();
    else res.end('final');
  });
  const url = (p: string): string => `http://svc.test:${port}${p}`;
  const off = await probeHttp(httpPath(url('/a')), ctx());
  t.equal(off.result, 'http_status', 'a 302 is the response when redirects are off');
  t.equal(off.status, 302);
  const two = await probeHttp(httpPath(url('/a'), { followRedirects: 2 }), ctx());
  t.equal(two.result, 'ok', two.detail);
  t.match(two.detail, /after 302 → .*\/b, 302 → .*\/c/);
  const one = await probeHttp(httpPath(url('/a'), { followRedirects: 1 }), ctx());
  t.equal(one.result, 'http_status', 'the hop limit stops the chain');
  t.equal(one.status, 302);
  const away = await probeHttp(httpPath(url('/away'), { followRedirects: 5 }), ctx());
  t.equal(away.result, 'http_status', 'another host is not followed');
  t.equal(away.status, 302);
  const ftp = await probeHttp(httpPath(url('/ftp'), { followRedirects: 5, expectStatus: [302] }), ctx());
  t.equal(ftp.result, 'ok', 'a non-http redirect is judged as the response');
  // An explicit port 0 is not the scheme's default: the hop's connect fails, nothing goes to port 80.
  const port0 = await probeHttp(httpPath(url('/port0'), { followRedirects: 5 }), ctx());
  t.not(port0.result, 'ok', port0.detail);
  t.match(port0.detail, /:0\b/, `the hop was to port 0: ${port0.detail}`);
  t.notMatch(port0.detail, /:80\b/);
  t.equal(hits.filter((h) => h === '/c').length, 1, '/c fetched only by the 2-hop probe, never via other.test');
});

t.test('ok whatever the server says about keeping the connection: short Keep-Alive, close, default', async (t) => {
  const cases: Array<[string, Record<string, string>]> = [
    ['Keep-Alive: timeout=1', { 'keep-alive': 'timeout=1' }],
    ['Keep-Alive: timeout=0', { 'keep-alive': 'timeout=0' }],
    ['Connection: close', { connection: 'close' }],
    ['no header', {}],
  ];
  for (const [name, headers] of cases) {
    let closed = false;
    const port = await serve(t, (req, res) => {
      req.socket.once('close', () => (closed = true));
      res.writeHead(200, headers);
      res.end('body of the answer');
    });
    const out = await probeHttp(httpPath(`http://127.0.0.1:${port}/`), ctx());
    t.equal(out.result, 'ok', `${name}: ${out.detail}`);
    t.match(out.detail, /18 body bytes/, `${name}: body read`);
    for (const phase of ['resolve', 'connect', 'processing', 'transfer', 'total'] as const) {
      t.ok((out.phases[phase] ?? -1) >= 0, `${name}: phase ${phase}`);
    }
    // The probe never keeps its connection: the server sees it closed soon after.
    for (let i = 0; i < 100 && !closed; i++) await new Promise((r) => setTimeout(r, 10));
    t.ok(closed, `${name}: connection closed by the probe`);
  }
});

t.test('a header node:http refuses to send is error, with nothing left on the caller\'s signal', async (t) => {
  // The catalog rejects such values; an embedder's PathSpec may not. node:http throws while
  // building the request: once a rejected promise and an abort listener left on the scheduler's
  // signal that threw (TDZ) when the signal aborted later.
  const escaped: unknown[] = [];
  const onEscape = (e: unknown): void => { escaped.push(e); };
  process.on('uncaughtException', onEscape);
  t.teardown(() => process.off('uncaughtException', onEscape));
  let served = 0;
  const port = await serve(t, (_req, res) => { served++; res.end('hi'); });
  const controller = new AbortController();
  const out = await probeHttp(httpPath(`http://127.0.0.1:${port}/`, { headers: { 'x-note': 'caf\u20ac' } }),
    { ...ctx(), signal: controller.signal, deadlineAt: performance.now() + 2000 });
  t.equal(out.result, 'error', out.detail);
  t.match(out.detail, /request not sent: Invalid character in header content \["x-note"\]/);
  t.equal(getEventListeners(controller.signal, 'abort').length, 0, 'no listener left on the signal');
  controller.abort(new Error('later'));
  await new Promise((r) => setTimeout(r, 50));
  t.same(escaped, [], 'nothing thrown when the signal aborts later');
  t.equal(served, 0, 'no request reached the server');
});

t.test('a bodyMatch the linear engine cannot run is error before any request (no fallback, so no chance to stall)', async (t) => {
  let served = 0;
  const port = await serve(t, (_req, res) => { served++; res.end('a'.repeat(31) + '!'); });
  const out = await probeHttp(httpPath(`http://127.0.0.1:${port}/`, { bodyMatch: '^(a+)+(?=b)' }), ctx());
  t.equal(out.result, 'error', out.detail);
  t.match(out.detail, /invalid bodyMatch/);
  t.match(out.detail, /linear time/, 'the detail says why, as the catalog check does');
  t.equal(served, 0, 'nothing was asked of the target');
});

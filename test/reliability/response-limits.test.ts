// Size limits on what is read from the network outside the probers (those are held by
// hostile-targets.test.ts): the Kubernetes API transport's LIST pages, error answers and watch
// lines, against a real HTTP server that never stops sending; and the agent's own listener.
import t from 'tap';
import { createServer, type Server } from 'node:http';
import net from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { KubeConfigTransport, MAX_ERROR_BYTES, MAX_LINE_BYTES, MAX_LIST_BYTES } from '../../src/k8s/api-transport.js';
import { buildApp } from '../../src/server/app.js';
import { listen } from '../../src/server/listen.js';
import { MemoryStatusReader } from '../helpers/status-fixtures.js';

/** A fake API server: `status` and a body of `prefix` + 'x' forever (or until `limitBytes`). */
async function endless(t: { teardown(fn: () => unknown): void }, status: number, prefix: string) {
  const sent = { bytes: 0 };
  const server: Server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.write(prefix);
    const chunk = Buffer.alloc(256 * 1024, 'x');
    const go = (): void => {
      while (!res.destroyed && sent.bytes < 2 * MAX_LIST_BYTES) {
        sent.bytes += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', go);
      }
      res.end();
    };
    go();
  });
  await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, r));
  t.teardown(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'x' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  const transport = new KubeConfigTransport(kc);
  t.teardown(() => transport.close());
  return { transport, sent };
}

const signal = () => new AbortController().signal;

t.test('a LIST page that never ends stops at MAX_LIST_BYTES with an error', async (t) => {
  const { transport, sent } = await endless(t, 200, '{"items":["');
  const error = await transport.list('/api/v1/pods', {}, signal()).catch((e: unknown) => e);
  t.match(error, { message: `LIST /api/v1/pods: the answer exceeds ${MAX_LIST_BYTES} bytes` });
  t.ok(sent.bytes < MAX_LIST_BYTES + 64 * 1024 * 1024, `stopped reading: the server got ${(sent.bytes / 2 ** 20).toFixed(0)} MiB out`);
});

t.test('an error answer that never ends is cut at MAX_ERROR_BYTES; the status code stays', async (t) => {
  const { transport } = await endless(t, 403, '');
  const started = Date.now();
  const error = await transport.list('/api/v1/pods', {}, signal()).catch((e: unknown) => e);
  t.match(error, { statusCode: 403 });
  t.ok(Date.now() - started < 5000, 'promptly');
  t.ok(MAX_ERROR_BYTES <= 64 * 1024);
});

t.test('a watch line that never ends stops at MAX_LINE_BYTES with an error', async (t) => {
  const { transport } = await endless(t, 200, '{"type":"ADDED","object":"');
  const started = Date.now();
  const events = await transport.watch('/api/v1/pods', {}, signal());
  const error = await (async () => {
    for await (const _ of events) return new Error('an event from an endless line');
    return undefined;
  })().catch((e: unknown) => e);
  t.match(error, { message: `WATCH /api/v1/pods: an event line exceeds ${MAX_LINE_BYTES} bytes` });
  t.ok(Date.now() - started < 2500, `promptly (${Date.now() - started} ms: a long line is not rescanned per chunk)`);
});

/** Sends `request` on a raw socket (and `body` for as long as the server reads); returns the status line. */
function raw(port: number, request: string, bodyBytes = 0): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let out = '';
    s.on('data', (d: Buffer) => (out += d.toString()));
    s.on('error', () => {});
    s.on('close', () => resolve(out.split('\r\n')[0] ?? ''));
    s.setTimeout(5000, () => s.destroy());
    s.write(request);
    let left = bodyBytes;
    const chunk = Buffer.alloc(64 * 1024, 'b');
    const go = (): void => {
      while (left > 0 && !s.destroyed) {
        left -= chunk.length;
        if (!s.write(chunk)) return void s.once('drain', go);
      }
    };
    go();
  });
}

t.test("the agent's listener: request bodies and heads are bounded on a real socket", async (t) => {
  const app = buildApp({ registry: new Registry(), status: new MemoryStatusReader([], true, undefined), version: 'x' });
  t.teardown(() => app.close());
  const { url } = await listen(app, '127.0.0.1:0');
  const port = Number(new URL(url).port);
  const big = await raw(port, 'POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n', 100 * 2 ** 20);
  t.match(big, /^HTTP\/1\.1 (404|405|413) /, `a 100 MiB body is refused: ${big}`);
  const head = await raw(port, `GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(64 * 1024)}\r\n\r\n`);
  t.match(head, /^HTTP\/1\.1 431 /, `a 64 KiB header is refused: ${head}`);
});

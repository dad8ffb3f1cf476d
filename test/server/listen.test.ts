import t from 'tap';
import { createServer } from 'node:net';
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

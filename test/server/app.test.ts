import t from 'tap';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Gauge, Registry } from 'prom-client';
import { buildApp, BODY_LIMIT_BYTES } from '../../src/server/app.js';
import { HTTP_ERRORS } from '../../src/server/http-errors.js';
import { NOT_READY_REASON } from '../../src/server/routes/health-routes.js';
import { MemoryStatusReader, platformStatuses, FIXTURE_NOW } from '../helpers/status-fixtures.js';

function setup(t: { teardown(fn: () => unknown): void }, opts: { ready?: boolean } = {}) {
  const registry = new Registry();
  const status = new MemoryStatusReader(platformStatuses(), opts.ready ?? true);
  const app = buildApp({ registry, status, version: '9.9.9', now: () => FIXTURE_NOW });
  t.teardown(() => app.close());
  return { app, registry, status };
}

t.test('GET /metrics serves the injected registry with its content type, never cached', async (t) => {
  const { app, registry } = setup(t);
  const up = new Gauge({ name: 'pathprobe_path_up', help: 'h', labelNames: ['path'], registers: [registry] });
  up.set({ path: 'eso-to-vault' }, 0);
  const res = await app.inject('/metrics');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], registry.contentType);
  t.match(res.body, /^pathprobe_path_up\{path="eso-to-vault"\} 0$/m);
  t.equal(res.headers['cache-control'], 'no-store');
  t.equal(res.headers['x-content-type-options'], 'nosniff');
});

t.test('a failing collector is a 500 JSON error, not a crash', async (t) => {
  const { app, registry } = setup(t);
  new Gauge({
    name: 'pathprobe_broken', help: 'h', registers: [registry],
    collect() { throw new Error('collector exploded <secret>'); },
  });
  const res = await app.inject('/metrics');
  t.equal(res.statusCode, 500);
  t.same(res.json(), { statusCode: 500, code: HTTP_ERRORS.internal.code, message: HTTP_ERRORS.internal.message });
  t.notMatch(res.body, /secret/, 'internal detail stays in the log');
});

t.test('/-/healthy is OK; /-/ready follows StatusReader.ready()', async (t) => {
  const { app, status } = setup(t, { ready: false });
  const healthy = await app.inject('/-/healthy');
  t.equal(healthy.statusCode, 200);
  t.equal(healthy.body, 'OK');
  t.match(healthy.headers['content-type'], /^text\/plain/);

  const notReady = await app.inject('/-/ready');
  t.equal(notReady.statusCode, 503);
  t.equal(notReady.body, NOT_READY_REASON);

  status.isReady = true;
  const ready = await app.inject('/-/ready');
  t.equal(ready.statusCode, 200);
  t.equal(ready.body, 'OK');
});

t.test('unknown routes and methods answer JSON 404 with the security headers', async (t) => {
  const { app } = setup(t);
  for (const req of [
    { method: 'GET', url: '/nope?target=http://169.254.169.254/' },
    { method: 'POST', url: '/metrics' },
    { method: 'DELETE', url: '/api/v1/paths/eso-to-vault' },
  ] as const) {
    const res = await app.inject(req);
    t.equal(res.statusCode, 404, `${req.method} ${req.url.slice(0, 40)}`);
    t.match(res.headers['content-type'], /^application\/json/);
    t.equal(res.json().code, HTTP_ERRORS.routeNotFound.code);
    t.equal(res.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    t.equal(res.headers['x-frame-options'], 'DENY');
  }
  const longParam = await app.inject('/api/v1/paths/' + 'x'.repeat(600));
  t.equal(longParam.statusCode, 414);
  t.equal(longParam.json().code, HTTP_ERRORS.uriTooLong.code);
  t.equal(longParam.headers['x-content-type-options'], 'nosniff', 'routing errors carry the headers too');
  const badUrl = await app.inject('/api/v1/paths/%E0%A4%A');
  t.equal(badUrl.statusCode, 400);
  t.equal(badUrl.json().code, HTTP_ERRORS.badRequest.code);
  const long = await app.inject('/' + 'y'.repeat(5000));
  t.ok(long.json().message.length < 260, 'the echoed URL is bounded');
});

t.test('HEAD works for the probes; bodies are bounded', async (t) => {
  const { app } = setup(t);
  const head = await app.inject({ method: 'HEAD', url: '/-/healthy' });
  t.equal(head.statusCode, 200);
  t.equal(head.body, '');
  t.equal(BODY_LIMIT_BYTES, 1024);
  t.equal(app.initialConfig.bodyLimit, BODY_LIMIT_BYTES);
});

t.test('only read routes exist: no proxy, no ?target=, nothing but GET/HEAD', async (t) => {
  const { app } = setup(t);
  await app.ready();
  const lines = app.printRoutes({ commonPrefix: false }).split('\n').filter((l) => l.includes('('));
  t.equal(lines.length, 6, 'six routes');
  for (const line of lines) t.match(line, /\(GET, HEAD\)$/, line.trim());
  const listed = ['/metrics', '/-/healthy', '/-/ready', '/api/v1/paths', '/api/v1/paths/:name', '/'];
  for (const url of listed) t.ok(app.hasRoute({ method: 'GET', url }), url);
});

t.test('a pino logger gets the errors, not a line per scrape', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  const registry = new Registry();
  new Gauge({ name: 'pathprobe_broken', help: 'h', registers: [registry], collect() { throw new Error('collector exploded'); } });
  const app = buildApp({ registry, status: new MemoryStatusReader([]), version: '0', logger: pino({ level: 'info' }, sink) });
  t.teardown(() => app.close());
  await app.inject('/-/healthy');
  await app.inject('/api/v1/paths');
  t.same(lines, [], 'successful requests are not logged');
  await app.inject('/metrics');
  t.equal(lines.length, 1);
  t.match(JSON.parse(lines[0] ?? '{}'), { level: 50, msg: 'request failed', url: '/metrics', err: { message: 'collector exploded' } });
});

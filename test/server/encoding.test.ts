// /metrics and the status page are sent gzip-encoded to clients that ask for it (Prometheus
// always does), byte for byte the identity body once decoded, and as they are to the others.
import t from 'tap';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { AgentRegistry } from '../../src/metrics/agent-registry.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { PathSeries } from '../../src/metrics/path-series.js';
import { buildApp } from '../../src/server/app.js';
import { acceptsGzip } from '../../src/server/encoded-body.js';
import { listen } from '../../src/server/listen.js';
import { MemoryStatusReader, platformStatuses } from '../helpers/status-fixtures.js';
import { makePath } from '../fixtures/path-spec.js';

/** A raw GET over a real socket: status, headers and the bytes as they came. */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

t.test('Accept-Encoding: gzip, x-gzip, *, q-values', async (t) => {
  for (const yes of ['gzip', 'GZIP', 'deflate, gzip;q=0.5', 'x-gzip', '*', 'br;q=1, *;q=0.1', 'gzip , deflate, br']) t.ok(acceptsGzip(yes), yes);
  for (const no of [undefined, '', 'identity', 'br, deflate', 'gzip;q=0', 'gzip;q=0.0, *;q=1', '*;q=0', 'gzip;q=x', 'gzip;q=2']) t.notOk(acceptsGzip(no), String(no));
  t.ok(acceptsGzip(['br', 'gzip']), 'repeated headers');
});

t.test('/metrics and / over a socket: gzip when asked, the same bytes once decoded', async (t) => {
  const registry = new AgentRegistry();
  const series = new PathSeries(createMetrics(registry, { version: 't' }));
  const paths = Array.from({ length: 500 }, (_, i) => makePath(`p-${i}`));
  series.applyCatalog(paths);
  for (const p of paths) series.recordResult(p, { result: 'ok', phases: { total: 0.002 }, durationSeconds: 0.002, detail: '' }, true, 1_700_000_000_000);
  const app = buildApp({ registry, status: new MemoryStatusReader(platformStatuses(), true, 'eso'), version: '1.2.3' });
  const { url } = await listen(app, '127.0.0.1:0');
  t.teardown(() => app.close());

  for (const path of ['metrics', '']) {
    const plain = await get(`${url}${path}`, {});
    t.equal(plain.status, 200);
    t.equal(plain.headers['content-encoding'], undefined, `/${path}: no encoding unless asked`);
    t.equal(plain.headers.vary, 'accept-encoding');
    const zipped = await get(`${url}${path}`, { 'accept-encoding': 'gzip, deflate, br' });
    t.equal(zipped.headers['content-encoding'], 'gzip', `/${path}: gzip when asked`);
    t.equal(zipped.headers['content-type'], plain.headers['content-type']);
    t.equal(zipped.headers.vary, 'accept-encoding');
    t.ok(zipped.body.length * 2 < plain.body.length, `/${path}: ${plain.body.length} bytes → ${zipped.body.length}`);
    const decoded = gunzipSync(zipped.body).toString();
    if (path === 'metrics') {
      // Two renders: the process_* and nodejs_* values move; the agent's own series do not.
      const own = (text: string) => text.split('\n').filter((l) => l.startsWith('pathprobe_') && !l.includes('scheduler')).join('\n');
      t.equal(own(decoded), own(plain.body.toString()), 'same series once decoded');
      t.match(decoded, /^pathprobe_path_info\{path="p-499",/m);
    } else {
      // The two requests may fall in different seconds: the page's own timestamps are left out.
      const untimed = (page: string) => page.replace(/generated [^<]*/g, '').replace(/updated [^·<]*/g, '');
      t.equal(untimed(decoded), untimed(plain.body.toString()), 'same page once decoded');
    }
    const refused = await get(`${url}${path}`, { 'accept-encoding': 'gzip;q=0, identity' });
    t.equal(refused.headers['content-encoding'], undefined, `/${path}: gzip;q=0 is honoured`);
  }
});

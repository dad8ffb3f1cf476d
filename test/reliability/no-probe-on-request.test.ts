// No endpoint makes the agent connect anywhere, let alone to an address outside the catalog:
// (1) the server's module graph reaches no prober and no network client; (2) the routes are the
// known read-only set; (3) a real agent hammered with requests naming a canary address (query
// strings, paths, Host headers, absolute-form request targets, bodies) never touches the canary.
import t from 'tap';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import dgram from 'node:dgram';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { startAgent } from '../../src/agent/agent.js';
import { runProbe } from '../../src/probe/probers.js';
import { writeTempCatalog } from './helpers/targets.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every module reachable from `entry` through static imports and re-exports, and the bare specifiers seen. */
function moduleGraph(entry: string): { files: Set<string>; externals: Set<string> } {
  const files = new Set<string>();
  const externals = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/gm)) {
      const spec = (m[1] ?? m[2]) as string;
      if (/^import\s+type\s/.test(m[0].trim()) || /^export\s+type\s/.test(m[0].trim())) continue;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else externals.add(spec);
    }
  };
  visit(entry);
  return { files, externals };
}

t.test('the server reaches no prober and no network client', async (t) => {
  const { files, externals } = moduleGraph(join(SRC, 'server/app.ts'));
  const reached = [...files].map((f) => relative(SRC, f)).sort();
  t.ok(reached.length > 10, `${reached.length} modules reached from server/app.ts`);
  // probe/phases.ts is the list of phase names (a closed label set), no code that connects.
  const forbidden = reached.filter((f) => /^(probe|k8s|explainer|schedule|agent\/agent)\b/.test(f) && f !== 'probe/phases.ts');
  t.same(forbidden, [], 'no prober, scheduler, Kubernetes client or agent module');
  const clients = ['node:net', 'node:dgram', 'node:tls', 'node:dns', 'node:https', 'undici', '@kubernetes/client-node', 'net', 'dgram', 'tls', 'dns'];
  t.same([...externals].filter((e) => clients.includes(e)), [], `no network client imported (externals: ${[...externals].sort().join(', ')})`);
});

/** A TCP + UDP listener on one port that counts every connection and datagram. */
async function canary(t: { teardown(fn: () => unknown): void }) {
  let touched = 0;
  const tcp = net.createServer((s) => (touched++, s.destroy()));
  await new Promise<void>((r) => tcp.listen({ host: '127.0.0.1', port: 0 }, r));
  const port = (tcp.address() as net.AddressInfo).port;
  const udp = dgram.createSocket('udp4');
  udp.on('message', () => touched++);
  await new Promise<void>((r, j) => (udp.once('error', j), udp.bind(port, '127.0.0.1', () => r())));
  t.teardown(() => new Promise<void>((r) => { tcp.close(); udp.close(() => r()); }));
  return { port, touched: () => touched };
}

/** Sends raw request bytes and returns the status line (or the error). */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let out = '';
    s.on('data', (d: Buffer) => (out += d.toString()));
    s.on('error', (e) => resolve(`error ${e.message}`));
    s.on('close', () => resolve(out.split('\r\n')[0] ?? ''));
    s.setTimeout(3000, () => s.destroy());
    s.end(request);
  });
}

t.test('requests naming an address outside the catalog make the agent connect to nothing new', async (t) => {
  const inCatalog = await canary(t);
  const outside = await canary(t);
  const file = await writeTempCatalog(t, `apiVersion: pathprobe/v1
kind: PathCatalog
defaults: {interval: 1s, timeout: 500ms}
paths:
  - {name: declared, from: {namespace: a}, to: "127.0.0.1:${inCatalog.port}", check: tcp}
`);
  const agent = await startAgent({ catalogPaths: [file], listen: '127.0.0.1:0', logger: pino({ level: 'silent' }),
    prober: runProbe, watch: false, probeContext: { hostsPath: join(dirname(file), 'none'), resolvConfPath: join(dirname(file), 'none') } });
  t.teardown(() => agent.stop(2000));
  const routes = agent.app.printRoutes({ commonPrefix: false });
  const methods = [...routes.matchAll(/\(([A-Z, ]+)\)/g)].map((m) => m[1]);
  t.ok(methods.length >= 6 && methods.every((m) => m === 'GET, HEAD'), `every route is read-only GET/HEAD:\n${routes}`);
  const base = agent.listening.url;
  const port = Number(new URL(base).port);

  const evil = `127.0.0.1:${outside.port}`;
  const enc = encodeURIComponent;
  const targets = [`http://${evil}/`, evil, `tcp://${evil}`, `dns://${evil}/x`];
  const paths = ['/', '/metrics', '/-/healthy', '/-/ready', '/api/v1/paths', '/api/v1/explain', '/api/v1/paths/declared',
    '/probe', '/api/v1/probe', '/api/v1/check', '/-/reload', '/debug/pprof', '/api/v1/paths/declared/probe'];
  const queries = ['target', 'to', 'url', 'host', 'path', 'address', 'server', 'name', 'catalog', 'probe'];
  let requests = 0;
  for (const p of paths) {
    for (const target of targets) {
      for (const q of queries) {
        for (const method of ['GET', 'POST', 'PUT']) {
          await fetch(`${base.replace(/\/$/, '')}${p}?${q}=${enc(target)}`, { method, ...(method === 'GET' ? {} : { body: JSON.stringify({ [q]: target }), headers: { 'content-type': 'application/json' } }) });
          requests++;
        }
      }
      await fetch(`${base}api/v1/paths/${enc(target)}`);
      await fetch(`${base}api/v1/paths/${enc(`declared?to=${target}`)}`);
      requests += 2;
    }
  }
  // Host headers, absolute-form request targets (a proxy request), CONNECT, header smuggling.
  const rawRequests = [
    `GET http://${evil}/ HTTP/1.1\r\nHost: ${evil}\r\nConnection: close\r\n\r\n`,
    `CONNECT ${evil} HTTP/1.1\r\nHost: ${evil}\r\nConnection: close\r\n\r\n`,
    `GET / HTTP/1.1\r\nHost: ${evil}\r\nX-Forwarded-Host: ${evil}\r\nForwarded: host=${evil}\r\nConnection: close\r\n\r\n`,
    `GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\nConnection: close\r\n\r\n0\r\n\r\nGET http://${evil}/ HTTP/1.1\r\nHost: ${evil}\r\n\r\n`,
    `GET /api/v1/paths/..%2F..%2F${enc(evil)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
  ];
  const statuses = [];
  for (const r of rawRequests) statuses.push(await raw(port, r));
  requests += rawRequests.length;
  // Each gets an HTTP answer, except CONNECT, which the server may also just close: never a tunnel (2xx).
  const CONNECT = 1;
  t.ok(statuses.every((s, i) => (i === CONNECT ? s === '' || /^HTTP\/1\.1 [45]\d\d/.test(s) : /^HTTP\/1\.1 [1-5]\d\d/.test(s))),
    `raw requests answered: ${statuses.join(' | ')}`);

  await sleep(1500); // a probe launched by any of those would have connected by now
  t.equal(outside.touched(), 0, `${requests} requests naming ${evil}: the canary saw no connection and no datagram`);
  t.ok(inCatalog.touched() > 0, 'the catalog address was probed meanwhile (the canaries work)');
  const list = (await (await fetch(`${base}api/v1/paths`)).json()) as { paths: Array<{ name: string }> };
  t.same(list.paths.map((p) => p.name), ['declared'], 'still exactly the catalog paths');
  t.comment(`requests tried: ${requests}`);
});

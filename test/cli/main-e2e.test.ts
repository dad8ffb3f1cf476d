// End to end through the built binary: `node dist/cli/main.js check|run` against real loopback
// servers, with the real catalog loader and probers.
import t from 'tap';
import { until } from '../helpers/until.js';
import { createServer as createHttpServer, type Server } from 'node:http';
import { freePort } from '../helpers/free-port.js';
import { MAIN, requireBuiltMain, runMain } from '../helpers/run-main.js';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startAgentProcess } from '../reliability/helpers/agent-process.js';
import { writeTempCatalog } from '../reliability/helpers/targets.js';

async function loopbackHttp(t: { teardown(fn: () => unknown): void }): Promise<number> {
  const server: Server = createHttpServer((req, res) => res.writeHead(req.url === '/ok' ? 200 : 500).end());
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return (server.address() as { port: number }).port;
}

/**
 * The environment without tap's NODE_* and TAP* settings, as from a shell: tap's hooks in a child
 * install signal handlers of their own and keep its loop alive.
 */
const PLAIN_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NODE_') && !k.startsWith('TAP')));

t.before(requireBuiltMain);

t.test('check --output json against real loopback servers: ok, refused, http_status', async (t) => {
  const http = await loopbackHttp(t);
  const closed = await freePort();
  const file = await writeTempCatalog(t, `apiVersion: pathprobe/v1
kind: PathCatalog
defaults: {timeout: 2s}
paths:
  - {name: tcp-open, from: {namespace: e2e}, to: "127.0.0.1:${http}", check: tcp}
  - {name: tcp-closed, from: {namespace: e2e}, to: "127.0.0.1:${closed}", check: tcp}
  - {name: http-ok, from: {namespace: e2e}, to: "http://127.0.0.1:${http}/ok", check: http}
  - {name: http-bad, from: {namespace: e2e}, to: "http://127.0.0.1:${http}/bad", check: http}
`);
  const ran = await runMain(['check', '--catalog', file, '--output', 'json']);
  t.equal(ran.stderr, '');
  t.equal(ran.code, 1, 'exit 1: not every path as declared');
  const doc = JSON.parse(ran.stdout) as { results: { path: string; result: string; up: boolean; durationSeconds: number; phases: Record<string, number>; detail: string }[] };
  t.same(doc.results.map((r) => [r.path, r.result, r.up]), [
    ['tcp-open', 'ok', true],
    ['tcp-closed', 'refused', false],
    ['http-ok', 'ok', true],
    ['http-bad', 'http_status', false],
  ]);
  for (const r of doc.results) {
    t.ok(r.durationSeconds >= 0 && r.durationSeconds < 2, `${r.path}: duration ${r.durationSeconds}`);
    t.type(r.phases.total, 'number', `${r.path}: total phase`);
  }
  const onlyOk = await runMain(['check', '--catalog', file, '--path', 'http-ok']);
  t.equal(onlyOk.code, 0, 'exit 0 when all selected paths behave as declared');
  t.match(onlyOk.stdout, /^PATH +SOURCE +CHECK +TARGET/);
});

t.test('usage errors: error + hint on stderr, exit 2', async (t) => {
  const ran = await runMain(['check', '--output', 'json']);
  t.equal(ran.code, 2);
  t.equal(ran.stdout, '');
  t.match(ran.stderr, /^error: check: --catalog is required\nhint: run `pathprobe check --help`\n$/);
  const help = await runMain(['--help']);
  t.equal(help.code, 0);
  for (const name of ['run', 'check', 'demo']) t.match(help.stdout, new RegExp(`^  ${name} `, 'm'), `--help lists ${name}`);
});

t.test('run with an address it cannot listen on: exit 2 with the message, every time', async (t) => {
  // The render worker was started and unref'd just before: its terminate() once left the process
  // with nothing to wait on, and it exited 13 (an unsettled top-level await) without a word. That
  // happened 5 times in 5 from a shell (output to files); under tap the old code passed this test
  // too, so it guards the exit code and the message, not that race.
  const port = await freePort();
  const file = await writeTempCatalog(t, [
    'apiVersion: pathprobe/v1', 'kind: PathCatalog', 'paths:',
    `  - {name: web, from: {namespace: a}, to: "http://127.0.0.1:${port}/", check: http}`, '',
  ].join('\n'));
  // Output to files, not pipes, and without tap's NODE_* settings, as from a shell.
  const out = join(dirname(file), 'out.log');
  const err = join(dirname(file), 'err.log');
  for (let i = 0; i < 4; i++) {
    const fds = [openSync(out, 'w'), openSync(err, 'w')];
    const ran = spawnSync(process.execPath, [MAIN, 'run', '--catalog', file, '--listen', 'nope'], { stdio: ['ignore', ...fds], timeout: 30_000, env: PLAIN_ENV });
    for (const fd of fds) closeSync(fd);
    t.equal(ran.status, 2, `run ${i + 1}: exit 2`);
    t.match(readFileSync(err, 'utf8'), /^error: invalid listen address "nope"\nhint: /, `run ${i + 1}: says why`);
  }
});

/** Whether process `pid`'s main thread sleeps in epoll (Linux: /proc/PID/wchan), i.e. its event loop is idle. */
function idleInEpoll(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/wchan`, 'utf8').includes('epoll');
  } catch {
    return false;
  }
}

t.test('a command with no graceful stop ends on the first SIGTERM or SIGINT (explain waiting on stdin)', async (t) => {
  // explain reads --manifests - from stdin, left open here: it once ignored the first signal.
  const file = await writeTempCatalog(t, [
    'apiVersion: pathprobe/v1', 'kind: PathCatalog', 'paths:',
    '  - {name: web, from: {namespace: a}, to: "http://web.b.svc:8080/", check: http}', '',
  ].join('\n'));
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    const child = spawn(process.execPath, [MAIN, 'explain', '--catalog', file, '--manifests', '-'], { stdio: ['pipe', 'ignore', 'ignore'], env: PLAIN_ENV });
    t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    // Wait until it has started and waits on stdin, its loop idle for 400 ms in a row (a signal
    // during the start, before main.ts's handlers exist, would end it the default way; on a
    // loaded CI machine the start takes seconds).
    let idleFor = 0;
    await until('explain started and waiting on stdin', () => {
      idleFor = idleInEpoll(child.pid!) ? idleFor + 1 : 0;
      return idleFor >= 4 || undefined;
    }, 20_000, 100);
    const sentAt = Date.now();
    child.kill(signal);
    const exitCode = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 5000))]);
    t.equal(exitCode, code, `${signal}: exit ${code}`);
    t.ok(Date.now() - sentAt < 3000, `${signal}: at once`);
  }
});

t.test('run serves, becomes ready, and exits 0 on SIGTERM after a clean stop', async (t) => {
  const http = await loopbackHttp(t);
  const file = await writeTempCatalog(t, `apiVersion: pathprobe/v1
kind: PathCatalog
defaults: {interval: 1s, timeout: 500ms}
paths:
  - {name: web, from: {namespace: e2e}, to: "http://127.0.0.1:${http}/ok", check: http}
`);
  const agent = await startAgentProcess(t, { catalogPaths: [file] });
  const url = agent.url;
  t.equal((await fetch(`${url}-/ready`)).status, 200);
  await until('the state change logged', () => /"msg":"path state changed"/.test(agent.stdout()), 3000);
  t.match(agent.stdout(), /"path":"web","from":"pending","to":"up","result":"ok"/, 'state change logged');
  t.match(await (await fetch(`${url}metrics`)).text(), /^pathprobe_path_up\{path="web",.*\} 1$/m);
  agent.child.kill('SIGTERM');
  t.equal((await agent.exited).code, 0, 'exit 0 after SIGTERM');
  t.match(agent.stdout(), /"msg":"agent stopped"/);
});

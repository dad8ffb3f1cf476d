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

/** Starts `args`, waits until its loop is idle (started, waiting), sends `signal`; resolves how it ended. */
async function signalWhenIdle(t: { teardown(fn: () => unknown): void }, args: string[], signal: NodeJS.Signals): Promise<{ ended: { code: number | null; signal: NodeJS.Signals | null } | 'hung'; ms: number }> {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['pipe', 'ignore', 'ignore'], env: PLAIN_ENV });
  t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })));
  // Wait until it has started and waits, its loop idle for 400 ms in a row (a signal during the
  // start would prove nothing; on a loaded CI machine the start takes seconds).
  let idleFor = 0;
  await until('started and waiting', () => {
    idleFor = idleInEpoll(child.pid!) ? idleFor + 1 : 0;
    return idleFor >= 4 || undefined;
  }, 20_000, 100);
  const sentAt = Date.now();
  child.kill(signal);
  const ended = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 5000))]);
  return { ended, ms: Date.now() - sentAt };
}

t.test('a command with no graceful stop ends on the first SIGTERM or SIGINT (explain waiting on stdin)', async (t) => {
  // explain reads --manifests - from stdin, left open here: it once ignored the first signal.
  const file = await writeTempCatalog(t, [
    'apiVersion: pathprobe/v1', 'kind: PathCatalog', 'paths:',
    '  - {name: web, from: {namespace: a}, to: "http://web.b.svc:8080/", check: http}', '',
  ].join('\n'));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const { ended, ms } = await signalWhenIdle(t, ['explain', '--catalog', file, '--manifests', '-'], signal);
    t.same(ended, { code: null, signal }, `${signal}: ended by the signal, as without handlers (a shell shows ${signal === 'SIGTERM' ? 143 : 130})`);
    t.ok(ms < 3000, `${signal}: at once`);
  }
});

t.test('a thread blocked opening a FIFO with no writer does not hold the process: validate ends on the first signal, run on the second', async (t) => {
  const dir = dirname(await writeTempCatalog(t, 'x: 1\n'));
  const fifo = join(dir, 'catalog.fifo');
  t.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
  // validate opens it in libuv's pool, which blocks until a writer comes; process.exit() waited for
  // that thread and the process hung on SIGTERM until SIGKILL.
  const validate = await signalWhenIdle(t, ['validate', fifo], 'SIGTERM');
  t.same(validate.ended, { code: null, signal: 'SIGTERM' }, 'validate: ended by SIGTERM');
  // run stops gracefully on the first signal, which cannot finish while the read blocks; the second ends it.
  const child = spawn(process.execPath, [MAIN, 'run', '--catalog', fifo, '--listen', '127.0.0.1:0'], { stdio: 'ignore', env: PLAIN_ENV });
  t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  let idleFor = 0;
  await until('run started and waiting on the FIFO', () => {
    idleFor = idleInEpoll(child.pid!) ? idleFor + 1 : 0;
    return idleFor >= 4 || undefined;
  }, 20_000, 100);
  child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  child.kill('SIGTERM');
  const sig = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 5000))]);
  t.equal(sig, 'SIGTERM', 'run: ended by the second SIGTERM');
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

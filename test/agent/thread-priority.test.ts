// The probe thread gets the CPU first: `pathprobe run` sets the agent's main thread and every thread
// started after the probe thread (the render worker, a reload's parser) to a lower priority (nice
// 19 by default, --serve-nice N) and spares the threads that predate it (V8's helpers, libuv's
// pool), read back from /proc for each thread of a real agent process.
// The sweep itself runs in a child process, so this test's own threads keep their priority.
import t from 'tap';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { yieldToThisThread } from '../../src/agent/thread-priority.js';
import { startAgentProcess } from '../reliability/helpers/agent-process.js';
import { countingHttpServer, generateCatalog, writeTempCatalog } from '../reliability/helpers/targets.js';
import { requireBuiltMain, runMain } from '../helpers/run-main.js';
import { until } from '../helpers/until.js';

const LINUX = process.platform === 'linux';

/** Nice value of each thread of `pid`, by thread id (field 19 of /proc/PID/task/TID/stat). */
function threadNice(pid: number): Map<number, number> {
  const nice = new Map<number, number>();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // The fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    nice.set(Number(task), Number(fields[16]));
  }
  return nice;
}

/** The distinct nice values of `threads` ([thread id, nice] pairs). */
function nicesOf(threads: Iterable<[number, number]>): number[] {
  return [...new Set([...threads].map(([, n]) => n))];
}

t.before(requireBuiltMain);

t.test('a nice value outside 0-19 is refused before anything is touched', async (t) => {
  for (const bad of [-1, 20, 1.5, Number.NaN]) t.throws(() => yieldToThisThread(bad), RangeError, String(bad));
});

t.test('pathprobe run refuses a --serve-nice outside 0-19 with a usage error, before starting', async (t) => {
  for (const bad of ['20', '1.5', 'abc', '']) {
    const ran = await runMain(['run', '--catalog', 'no-such-catalog.yaml', '--serve-nice', bad]);
    t.equal(ran.code, 2, `${JSON.stringify(bad)}: exit 2`);
    t.match(ran.stderr, /--serve-nice must be a whole number from 0 to 19/, `${JSON.stringify(bad)}: says what is allowed`);
  }
});

t.test('a sweep lowers every other thread once, and the caller keeps its priority', { skip: !LINUX && 'needs /proc/thread-self (Linux)' }, async (t) => {
  // In a child: a worker thread sweeps twice; the second finds everything lowered already.
  const module = fileURLToPath(new URL('../../dist/agent/thread-priority.js', import.meta.url));
  const script = `
    const { Worker } = require('node:worker_threads');
    const w = new Worker(${JSON.stringify(`
      const { parentPort } = require('node:worker_threads');
      import(${JSON.stringify(module)}).then(({ yieldToThisThread }) => {
        const first = yieldToThisThread(9);
        const second = yieldToThisThread(9);
        const own = require('node:os').getPriority(first.thread);
        parentPort.postMessage({ first, second, own });
      });`)}, { eval: true });
    w.on('message', (m) => {
      const os = require('node:os');
      m.main = os.getPriority(process.pid);
      m.threads = require('node:fs').readdirSync('/proc/self/task').length;
      console.log(JSON.stringify(m));
      process.exit(0);
    });`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { timeout: 20_000 });
  const m = JSON.parse(stdout) as { first: { thread: number; lowered: number; already: number; failed: number }; second: { lowered: number; already: number; failed: number }; own: number; main: number; threads: number };
  const base = getPriority(process.pid);
  t.ok(m.first.lowered >= 1, `the first sweep lowered the other threads (${m.first.lowered})`);
  t.equal(m.first.failed, 0, 'nothing failed');
  t.equal(m.second.lowered, 0, 'the second sweep had nothing left to lower');
  t.equal(m.second.already, m.first.lowered + m.first.already, 'it found them all at 9 or lower already');
  t.equal(m.main, Math.max(base, 9), 'the main thread runs at 9');
  t.equal(m.own, base, 'the sweeping thread kept its own priority');
});

t.test('pathprobe run: the probe thread first; the main thread and every thread started after the probe thread at nice 19', { skip: !LINUX && 'needs /proc (Linux)' }, async (t) => {
  const target = await countingHttpServer(t);
  const file = await writeTempCatalog(t, generateCatalog({ count: 5, check: 'http', port: target.port, interval: '1s' }));
  const agent = await startAgentProcess(t, { catalogPaths: [file] });
  const pid = agent.child.pid!;
  const line = await until('the priority log line', () => agent.lines().find((l) => typeof l.probeThreadId === 'number'), 10_000);
  const probeThread = line.probeThreadId as number;
  t.equal(line.serveNice, 19, 'logged with the nice value');
  t.equal(line.failed, 0, 'no thread failed');
  const base = getPriority(process.pid);
  // A scrape starts the render worker's use and gzip; threads started since inherit or are swept.
  for (let i = 0; i < 3; i++) t.equal((await fetch(`${agent.url}metrics`, { headers: { 'accept-encoding': 'gzip' } })).status, 200);
  await until('probes done', () => target.requests() >= 5, 10_000);
  const nice = threadNice(pid);
  t.equal(nice.get(probeThread), base, 'the probe thread keeps the priority the agent started with');
  t.equal(nice.get(pid), 19, 'the main thread (serving) runs at nice 19');
  // Thread ids grow in creation order: those above the probe thread's were started after it.
  const later = [...nice].filter(([tid]) => tid > probeThread);
  const earlier = [...nice].filter(([tid]) => tid < probeThread && tid !== pid);
  t.ok(later.length >= 1, `threads started after the probe thread (the render worker at least): ${later.length}`);
  t.same(nicesOf(later), [19], `every one of them runs at nice 19: ${JSON.stringify(later)}`);
  t.ok(earlier.length >= 4, `threads that predate the probe thread (V8's helpers, libuv's pool): ${earlier.length}`);
  t.same(nicesOf(earlier), [base], 'they are spared: V8 collects the probe thread\'s garbage on them');
  t.equal(line.spared, earlier.length, 'the log line counts them');
  agent.child.kill('SIGTERM');
  t.equal((await agent.exited).code, 0, 'clean exit');
});

t.test('--serve-nice 0 leaves every thread as it was; --serve-nice 7 sets 7', { skip: !LINUX && 'needs /proc (Linux)' }, async (t) => {
  const target = await countingHttpServer(t);
  const file = await writeTempCatalog(t, generateCatalog({ count: 3, check: 'http', port: target.port, interval: '1s' }));
  const base = getPriority(process.pid);

  const off = await startAgentProcess(t, { catalogPaths: [file], args: ['--serve-nice', '0'] });
  await until('probes done', () => target.requests() >= 3, 10_000);
  t.notOk(off.lines().some((l) => 'serveNice' in l), 'no priority line');
  t.same(nicesOf(threadNice(off.child.pid!)), [base], 'every thread at the nice value it started with');
  off.child.kill('SIGTERM');
  await off.exited;

  const seven = await startAgentProcess(t, { catalogPaths: [file], args: ['--serve-nice', '7'] });
  const line = await until('the priority log line', () => seven.lines().find((l) => typeof l.probeThreadId === 'number'), 10_000);
  const nice = threadNice(seven.child.pid!);
  t.equal(nice.get(line.probeThreadId as number), base, 'the probe thread as it was');
  t.equal(nice.get(seven.child.pid!), Math.max(base, 7), 'the main thread at 7');
  t.same(nicesOf([...nice].filter(([tid]) => tid > (line.probeThreadId as number))), [Math.max(base, 7)], 'threads started after the probe thread at 7');
  seven.child.kill('SIGTERM');
  t.equal((await seven.exited).code, 0, 'clean exit');
});

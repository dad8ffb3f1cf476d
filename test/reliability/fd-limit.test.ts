// Running out of file descriptors: an agent started under `ulimit -n 256` (it needs fewer than
// that to start), whose limit is then lowered to 64 with prlimit while far more probes want a
// socket than that, classifies the probes that cannot get a socket (EMFILE → `error`, with
// the code in the detail) or skips and counts them, never crashes, and recovers — every path up —
// once the load is reduced by reloading a smaller catalog.
import t from 'tap';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { needPrograms } from '../helpers/need.js';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startAgentProcess } from './helpers/agent-process.js';
import { until } from '../helpers/until.js';
import { parseSamples, sum } from '../helpers/prom-text.js';
import { countingHttpServer, generateCatalog, hungHttpServer, tempDir } from './helpers/targets.js';

const START_LIMIT = 256;
const FD_LIMIT = 64;
const HUNG_PATHS = 300;

/** GET that turns a refused or reset connection into undefined (the agent may be out of fds). */
async function tryGet(url: string): Promise<{ status: number; text: string } | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, text: await res.text() };
  } catch {
    return undefined;
  }
}

t.test(`with ${FD_LIMIT} descriptors, ${HUNG_PATHS} hanging paths classify or skip, and the agent recovers`, async (t) => {
  if (!needPrograms(t, ['/usr/bin/prlimit'], 'util-linux')) return;
  const hung = await hungHttpServer(t);
  const healthy = await countingHttpServer(t);
  const dir = await tempDir(t);
  const file = join(dir, 'catalog.yaml');
  // Each probe holds a socket for its whole 900 ms timeout: ~270 sockets wanted at once.
  await writeFile(file, generateCatalog({ count: HUNG_PATHS, check: 'http', port: hung.port, interval: '1s', timeout: '900ms', prefix: 'hang' }));
  // Debug level: every probe is logged with its result and detail. A path whose earlier runs timed
  // out is already down, so an EMFILE run changes no state and would not show in a state-change line.
  const agent = await startAgentProcess(t, { catalogPaths: [file], shellPrefix: `ulimit -n ${START_LIMIT}`, args: ['--log-level', 'debug'] });
  const limit = async () => /Max open files\s+(\d+)/.exec(await readFile(`/proc/${agent.child.pid}/limits`, 'utf8'))?.[1];
  t.equal(await limit(), String(START_LIMIT), `the agent starts under ulimit -n ${START_LIMIT}`);
  // The catalog watch is set up just after the URL is logged: wait for its inotify descriptor.
  await until('the catalog watch', async () => {
    const { readdir, readlink } = await import('node:fs/promises');
    const fds = await readdir(`/proc/${agent.child.pid}/fd`);
    const targets = await Promise.all(fds.map((fd) => readlink(`/proc/${agent.child.pid}/fd/${fd}`).catch(() => '')));
    return targets.includes('anon_inode:inotify') || undefined;
  }, 10_000);
  await promisify(execFile)('/usr/bin/prlimit', ['--pid', String(agent.child.pid), `--nofile=${FD_LIMIT}:${FD_LIMIT}`]);
  t.equal(await limit(), String(FD_LIMIT), `then runs with ${FD_LIMIT} descriptors`);

  // Out of descriptors: probes fail with EMFILE and are classified (each probe is logged with its detail).
  const emfile = await until('a probe classified with EMFILE', () =>
    agent.lines().find((l) => (l.msg === 'probe finished' || l.msg === 'path state changed') && /EMFILE/.test(String(l.detail))), 20_000).catch(() => undefined);
  t.ok(emfile, 'some probe failed for want of a descriptor');
  t.equal(emfile?.result, 'error', 'EMFILE is classified as `error` (src/classify: anything else)');
  t.match(String(emfile?.detail), /EMFILE/, 'with the code in the detail, never in a label');
  t.ok(await until('the in-flight cap lowered', () => agent.lines().some((l) => String(l.msg).startsWith('out of file descriptors')), 5000).catch(() => false),
    'the agent ran fewer probes at once (warning logged): the outcome carried the EMFILE code');

  // Give it a few more intervals of starvation; it must still be alive and answer eventually.
  await sleep(3000);
  t.equal(agent.child.exitCode, null, 'still running after seconds without descriptors');
  // Generous: beside other tests on a loaded 2-CPU machine the agent's serving thread (nice 19)
  // waits for the CPU as well as for a descriptor.
  const scraped = await until('a /metrics scrape while starved', () => tryGet(`${agent.url}metrics`), 60_000);
  t.equal(scraped.status, 200);
  const starved = parseSamples(scraped.text);
  const errors = sum(starved, 'pathprobe_probes_total', { result: 'error' });
  const skipped = sum(starved, 'pathprobe_probes_skipped_total');
  t.ok(errors + skipped > 0, `probes that could not run are counted: ${errors} error, ${skipped} skipped`);
  t.notMatch(scraped.text, /EMFILE/, 'no error text in any label');
  t.comment(`starved: ${errors} probes classified error, ${skipped} skipped, ${sum(starved, 'pathprobe_probes_total', { result: 'http_timeout' })} http_timeout`);

  // Reduce the load: a catalog of 5 paths to a healthy server. Each rename is a watch event; the
  // first reload may itself fail to open the file while descriptors are short, so retry a few times.
  const small = generateCatalog({ count: 5, check: 'http', port: healthy.port, interval: '1s', timeout: '900ms', prefix: 'small' });
  let version = 0;
  const writesStartedAt = Date.now();
  const recovered = await until('every small path up', async () => {
    await writeFile(join(dir, `.next-${version}`), `${small}# ${version}\n`);
    await rename(join(dir, `.next-${version}`), file);
    version++;
    await sleep(700);
    const res = await tryGet(`${agent.url}api/v1/paths`);
    if (res?.status !== 200) return undefined;
    const paths = (JSON.parse(res.text) as { paths: { name: string; state: string }[] }).paths;
    return paths.length === 5 && paths.every((p) => p.state === 'up') ? paths : undefined;
  }, 90_000);
  t.same(recovered.map((p) => p.name), ['small-0', 'small-1', 'small-2', 'small-3', 'small-4'], 'the new catalog runs');
  const lines = agent.lines();
  const rejected = lines.filter((l) => String(l.msg).includes('keeping the last good catalog'));
  t.comment(`recovered after ${version} catalog write(s); ${rejected.length} reload(s) rejected (${[...new Set(rejected.map((l) => /E[A-Z]+/.exec(String(l.msg))?.[0]))].join(', ')}), first reload applied ${Date.parse(String(lines.find((l) => l.msg === 'catalog reloaded')?.time)) - writesStartedAt} ms after the first write, recovered in ${Date.now() - writesStartedAt} ms; cap warnings: ${lines.filter((l) => String(l.msg).startsWith('out of file descriptors')).map((l) => l.maxInFlight).join(', ')}`);
  const after = await tryGet(`${agent.url}metrics`);
  t.equal(after?.status, 200, '/metrics answers');
  t.match(after?.text, /^pathprobe_catalog_paths 5$/m);
  t.notMatch(after?.text, /path="hang-/, 'series of the removed paths are gone');
  const ready = await tryGet(`${agent.url}-/ready`);
  t.equal(ready?.status, 200, 'ready');
  t.ok(healthy.requests() > 0, 'the healthy target was probed');
  agent.child.kill('SIGTERM');
  t.equal((await agent.exited).code, 0, 'clean exit');
  t.equal(agent.stderr(), '', 'nothing on stderr (no crash, no unhandled error)');
});

// Process faults of a real `pathprobe run`: SIGTERM in the middle of a reload storm with probes in
// flight exits 0 within the shutdown grace period; a SIGKILLed agent restarted on the same port
// comes back ready and probing.
import t from 'tap';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SHUTDOWN_TIMEOUT_MS } from '../../src/cli/run-command.js';
import { startAgentProcess, type AgentProcess } from './helpers/agent-process.js';
import { until } from '../helpers/until.js';
import { countingHttpServer, generateCatalog, hungHttpServer, tempDir } from './helpers/targets.js';

interface ApiPath { name: string; state: string; lastProbeAt: string | null }

async function paths(agent: AgentProcess): Promise<ApiPath[]> {
  return ((await (await fetch(`${agent.url}api/v1/paths`)).json()) as { paths: ApiPath[] }).paths;
}

t.test('SIGTERM during a reload storm, with probes in flight, exits 0 within the grace period', async (t) => {
  const hung = await hungHttpServer(t);
  const healthy = await countingHttpServer(t);
  const dir = await tempDir(t);
  const file = join(dir, 'catalog.yaml');
  // Half the paths hang until their 900 ms deadline, so probes are always in flight.
  const catalog = (n: number) => generateCatalog({ count: n, check: 'http', port: hung.port, interval: '1s', timeout: '900ms', prefix: 'hang' })
    + generateCatalog({ count: n, check: 'http', port: healthy.port, prefix: 'ok' }).split('paths:\n')[1]!;
  await writeFile(file, catalog(100));
  const agent = await startAgentProcess(t, { catalogPaths: [file] });
  await until('probes in flight', async () => /^pathprobe_probes_in_flight [1-9]/m.test(await (await fetch(`${agent.url}metrics`)).text()), 5000);

  let storming = true;
  let writes = 0;
  const storm = (async () => {
    while (storming) {
      const text = writes % 4 === 3 ? catalog(50).replace('check: http', 'check: nope') : catalog(50 + (writes % 50));
      await writeFile(join(dir, `.tmp-${writes}`), text);
      await rename(join(dir, `.tmp-${writes}`), file);
      writes++;
      // Bursts of writes 10 ms apart, each burst followed by a gap longer than the 300 ms
      // debounce, so reloads run during the storm (a burst with no gap is one reload after it).
      await sleep(writes % 20 === 2 ? 350 : 10); // after a valid write (index 1 mod 20)
    }
  })();
  await until('a reload during the storm', () => agent.lines().some((l) => l.msg === 'catalog reloaded'), 10_000);
  await sleep(400);
  const sentAt = performance.now();
  agent.child.kill('SIGTERM');
  const exit = await Promise.race([agent.exited, sleep(SHUTDOWN_TIMEOUT_MS + 5000).then(() => 'hung' as const)]);
  const tookMs = performance.now() - sentAt;
  storming = false;
  await storm;
  t.not(exit, 'hung', 'the agent exited');
  if (exit === 'hung') return;
  t.same(exit, { code: 0, signal: null }, 'exit code 0');
  t.ok(tookMs < SHUTDOWN_TIMEOUT_MS, `within the ${SHUTDOWN_TIMEOUT_MS} ms grace period: ${tookMs.toFixed(0)} ms`);
  t.comment(`SIGTERM after ${writes} catalog writes: exit 0 in ${tookMs.toFixed(0)} ms`);
  const lines = agent.lines();
  t.ok(lines.filter((l) => l.msg === 'catalog reloaded').length >= 1, 'the storm was reloading');
  t.ok(lines.some((l) => l.msg === 'agent stopped'), 'clean stop logged');
  t.notOk(lines.some((l) => l.level === 60), 'nothing fatal');
  t.equal(agent.stderr(), '', 'nothing on stderr');
});

t.test('SIGKILL, then a restart on the same port: ready and probing again', async (t) => {
  const healthy = await countingHttpServer(t);
  const dir = await tempDir(t);
  const file = join(dir, 'catalog.yaml');
  await writeFile(file, generateCatalog({ count: 50, check: 'http', port: healthy.port, interval: '1s', timeout: '900ms', prefix: 'kill' }));
  const first = await startAgentProcess(t, { catalogPaths: [file] });
  await until('every path up', async () => (await paths(first)).every((p) => p.state === 'up'), 10_000);
  first.child.kill('SIGKILL');
  t.same(await first.exited, { code: null, signal: 'SIGKILL' }, 'killed');

  const listen = new URL(first.url).host;
  const startedAt = performance.now();
  const second = await startAgentProcess(t, { catalogPaths: [file], listen });
  t.equal(second.url, first.url, 'serves on the same address again');
  await until('ready', async () => (await fetch(`${second.url}-/ready`)).status === 200, 10_000);
  const readyMs = performance.now() - startedAt;
  const requestsBefore = healthy.requests();
  const all = await until('every path up again', async () => {
    const list = await paths(second);
    return list.length === 50 && list.every((p) => p.state === 'up') ? list : undefined;
  }, 10_000);
  const upMs = performance.now() - startedAt;
  t.equal(all.length, 50, 'every path probed and up');
  t.ok(healthy.requests() > requestsBefore, 'the restarted agent probes');
  t.comment(`restart: ready in ${readyMs.toFixed(0)} ms, every path up in ${upMs.toFixed(0)} ms`);
  second.child.kill('SIGTERM');
  t.equal((await second.exited).code, 0);
});

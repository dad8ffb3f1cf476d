import t from 'tap';
import { mkdtemp, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { startAgent, type Agent } from '../../src/agent/agent.js';
import { LocalEngine } from '../../src/agent/probe-engine.js';
import type { Scheduler } from '../../src/schedule/scheduler.js';
import { PathprobeError } from '../../src/errors.js';
import type { ProbeOutcome } from '../../src/probe/types.js';
import { until } from '../helpers/until.js';

/** A real catalog: tcp paths from source `a` (or the given source) to a loopback port. */
function catalog(...paths: (string | { name: string; from: string })[]): string {
  const lines = paths.map((p) => {
    const { name, from } = typeof p === 'string' ? { name: p, from: 'a' } : p;
    return `  - {name: ${name}, from: ${from}, to: "127.0.0.1:9", check: tcp}`;
  });
  return `apiVersion: pathprobe/v1
kind: PathCatalog
defaults: {interval: 1s, timeout: 500ms}
sources:
  a: {namespace: team-a}
  b: {namespace: team-b}
paths:
${lines.join('\n')}
`;
}

const prober = async (): Promise<ProbeOutcome> => ({ result: 'ok', phases: { total: 0.001 }, durationSeconds: 0.001, detail: 'connected' });

/** A directory laid out like a kubelet ConfigMap volume, updated the way kubelet does it. */
async function configMapVolume(t: { teardown(fn: () => unknown): void }, content: string) {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-cm-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  let version = 0;
  let current = '';
  const publish = async (text: string) => {
    const next = `..2024_01_01_00_00_0${++version}.000000001`;
    await mkdir(join(dir, next));
    await writeFile(join(dir, next, 'catalog.yaml'), text);
    await symlink(next, join(dir, '..data_tmp'));
    await rename(join(dir, '..data_tmp'), join(dir, '..data'));
    if (current) await rm(join(dir, current), { recursive: true });
    current = next;
  };
  await publish(content);
  await symlink('..data/catalog.yaml', join(dir, 'catalog.yaml'));
  return { file: join(dir, 'catalog.yaml'), publish };
}

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { lines, logger };
}

/** The scheduler of an agent given a prober: on this thread. */
function localScheduler(agent: Agent): Scheduler {
  if (!(agent.engine instanceof LocalEngine)) throw new Error('expected the scheduler on this thread');
  return agent.engine.scheduler;
}

const metricsText = async (agent: Agent) => (await fetch(`${agent.listening.url}metrics`)).text();

t.test('reloads a ConfigMap-style catalog on atomic ..data swaps; an invalid one keeps the last good', async (t) => {
  const volume = await configMapVolume(t, catalog('keep', 'gone'));
  const { lines, logger } = captureLogs();
  const agent = await startAgent({
    catalogPaths: [volume.file],
    listen: '127.0.0.1:0',
    logger,
    prober,
    watch: { debounceMs: 50, pollIntervalMs: 0 },
  });
  t.teardown(() => agent.stop(1000));
  t.equal((await fetch(`${agent.listening.url}-/ready`)).status, 200, 'ready once loaded and scheduled');
  t.match(await metricsText(agent), /^pathprobe_catalog_last_reload_successful 1$/m);
  // Both paths: their first runs are spread over the interval, 'keep' may come second.
  await until('first results', () => agent.status.get('gone')?.last && agent.status.get('keep')?.last);
  const keepNext = localScheduler(agent).nextStartOf('keep');
  const keepHistory = agent.status.get('keep')!.history.length;
  t.ok(keepHistory > 0);

  await volume.publish(catalog('keep', 'added'));
  await until('the new catalog', () => agent.status.get('added'));
  t.same(agent.status.list().map((s) => s.spec.name), ['keep', 'added']);
  t.equal(agent.status.get('gone'), undefined);
  const kept = localScheduler(agent).nextStartOf('keep')!;
  const offGrid = (kept - keepNext!) % 1000;
  t.ok(Math.min(offGrid, 1000 - offGrid) < 1e-6, 'unchanged path stays on its schedule');
  t.ok(agent.status.get('keep')!.history.length >= keepHistory, 'unchanged path keeps its history');
  let text = await metricsText(agent);
  t.notMatch(text, /path="gone"/, 'series of a removed path are removed');
  t.match(text, /pathprobe_path_info\{path="added"/);
  t.match(text, /^pathprobe_catalog_paths 2$/m);
  t.ok(lines.some((l) => l.msg === 'catalog reloaded'));

  await volume.publish(catalog('keep').replace('check: tcp', 'check: ftp'));
  await until('reload rejected', async () => /^pathprobe_catalog_last_reload_successful 0$/m.test(await metricsText(agent)));
  t.same(agent.status.list().map((s) => s.spec.name), ['keep', 'added'], 'last good catalog kept');
  const rejected = lines.find((l) => l.level === 50 && String(l.msg).includes('keeping the last good catalog'));
  t.ok(rejected, 'rejection logged at error level');
  t.match(String(rejected?.msg), /catalog\.yaml:8:\d+: .*\(at paths\[0\]\.check\)/, 'with the located problem');
  const resultsBefore = agent.status.get('keep')!.history.at(-1)!.at;
  await until('keep still probed', () => agent.status.get('keep')!.history.at(-1)!.at > resultsBefore);
  t.equal((await fetch(`${agent.listening.url}-/ready`)).status, 200, 'still ready');

  await volume.publish(catalog('keep'));
  await until('reload accepted again', async () => /^pathprobe_catalog_last_reload_successful 1$/m.test(await metricsText(agent)));
  t.same(agent.status.list().map((s) => s.spec.name), ['keep']);
  text = await metricsText(agent);
  t.match(text, /^pathprobe_catalog_last_reload_success_timestamp_seconds \d+(\.\d+)?$/m);
  t.equal(await agent.reload().then((r) => r.kind), 'unchanged', 'same content hash: nothing to do');
});

t.test('a state change is logged at info with path, from, to, result and detail', async (t) => {
  const volume = await configMapVolume(t, catalog('a'));
  const { lines, logger } = captureLogs();
  const agent = await startAgent({ catalogPaths: [volume.file], listen: '127.0.0.1:0', logger, prober, watch: false });
  t.teardown(() => agent.stop(1000));
  const change = await until('a state change line', () => lines.find((l) => l.msg === 'path state changed'));
  t.match(change, { level: 30, path: 'a', from: 'pending', to: 'up', result: 'ok', detail: 'connected' });
  t.ok(lines.some((l) => l.level === 20 && l.msg === 'probe finished' && l.path === 'a'), 'per-probe debug line');
});

t.test('an invalid catalog at start is a PathprobeError listing the located problems', async (t) => {
  const volume = await configMapVolume(t, catalog('a').replace('kind: PathCatalog', 'kind: PathCatalog\nbogus: 1'));
  const { logger } = captureLogs();
  const error = await startAgent({ catalogPaths: [volume.file], listen: '127.0.0.1:0', logger, prober, watch: false }).catch((e: unknown) => e);
  t.ok(error instanceof PathprobeError);
  t.match(error, { code: 'PP_CATALOG_INVALID', message: /catalog\.yaml:3:1: .*bogus/ });
});

t.test('stop waits for in-flight probes, then closes the server', async (t) => {
  const volume = await configMapVolume(t, catalog('slow'));
  const { logger } = captureLogs();
  let finished = 0;
  const agent = await startAgent({
    catalogPaths: [volume.file], listen: '127.0.0.1:0', logger, watch: false,
    prober: async () => {
      await sleep(100);
      finished++;
      return { result: 'ok', phases: { total: 0.1 }, durationSeconds: 0.1, detail: '' };
    },
  });
  await until('a probe in flight', () => agent.engine.inFlightCount > 0);
  const started = finished;
  await agent.stop(2000);
  t.equal(finished, started + 1, 'the in-flight probe finished before stop resolved');
  t.equal(agent.status.ready(), false);
  await t.rejects(fetch(`${agent.listening.url}-/healthy`), 'server closed');
});

t.test('--source runs only that source; an unknown source is refused with the known ones', async (t) => {
  const volume = await configMapVolume(t, catalog('mine', { name: 'theirs', from: 'b' }));
  const { logger } = captureLogs();
  const agent = await startAgent({ catalogPaths: [volume.file], source: 'b', listen: '127.0.0.1:0', logger, prober, watch: false });
  t.teardown(() => agent.stop(1000));
  t.same(agent.status.list().map((s) => s.spec.name), ['theirs']);
  t.equal(agent.status.sourceFilter(), 'b');
  const error = await startAgent({ catalogPaths: [volume.file], source: 'zz', listen: '127.0.0.1:0', logger, prober, watch: false }).catch((e: unknown) => e);
  t.match(error, { code: 'PP_UNKNOWN_SOURCE', hint: /a, b/ });
});

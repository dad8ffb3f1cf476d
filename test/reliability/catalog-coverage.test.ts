// Nothing declared is silently dropped: every path of a valid catalog — the shipped examples and a
// generated big one — is scheduled by a real `pathprobe run` process, listed by /api/v1/paths,
// has its metric series, and (for the big one, on loopback) is actually probed.
// Size: COVERAGE_PATHS (default 2,000; the full run uses 10,000).
import t, { type Test } from 'tap';
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalogFiles } from '../../src/catalog/load.js';
import { RESULT_CLASSES } from '../../src/classify/result-class.js';
import type { PathSpec } from '../../src/catalog/types.js';
import { needRoot, needPrograms } from '../helpers/need.js';
import { startAgentProcess, type AgentProcess } from './helpers/agent-process.js';
import { until } from '../helpers/until.js';
import { labelValues, parseSamples, select, sum } from '../helpers/prom-text.js';
import { childHttpServer, generateCatalog, tempDir, writeTempCatalog } from './helpers/targets.js';

const EXAMPLES = fileURLToPath(new URL('../../probes/examples/', import.meta.url));
const PATHS = Number(process.env.COVERAGE_PATHS ?? 2000);

interface ApiPath { name: string; source: string; check: string; target: string; expect: string; lastProbeAt: string | null }

async function apiPaths(agent: AgentProcess): Promise<ApiPath[]> {
  const res = await fetch(`${agent.url}api/v1/paths`);
  if (res.status !== 200) throw new Error(`/api/v1/paths answered ${res.status}`);
  return ((await res.json()) as { paths: ApiPath[] }).paths;
}

async function expectedPaths(file: string): Promise<PathSpec[]> {
  const loaded = await loadCatalogFiles([file]);
  if (!loaded.catalog || loaded.errors.length > 0) throw new Error(`${file} is not valid`);
  return loaded.catalog.paths;
}

/** The catalog, the API and the metrics agree path for path. */
async function assertScheduled(t: Test, agent: AgentProcess, expected: PathSpec[]): Promise<void> {
  const names = expected.map((p) => p.name);
  const listed = await apiPaths(agent);
  t.same(listed.map((p) => p.name), names, `/api/v1/paths lists the ${names.length} catalog paths, in order`);
  const byName = new Map(listed.map((p) => [p.name, p]));
  const mismatched = expected.filter((p) => {
    const v = byName.get(p.name);
    return !v || v.source !== p.source.name || v.check !== p.check || v.target !== p.target || v.expect !== p.expect;
  });
  t.same(mismatched.map((p) => p.name), [], 'source, check, target and expect as declared');
  const samples = parseSamples(await (await fetch(`${agent.url}metrics`)).text());
  t.same([...labelValues(samples, 'pathprobe_path_info', 'path')].sort(), [...names].sort(), 'one pathprobe_path_info per path');
  const info = new Map(select(samples, 'pathprobe_path_info').map((s) => [s.labels.path, s.labels]));
  const badInfo = expected.filter((p) => {
    const l = info.get(p.name);
    return !l || l.source !== p.source.name || l.from_namespace !== p.source.namespace || l.check !== p.check || l.target !== p.target;
  });
  t.same(badInfo.map((p) => p.name), [], 'pathprobe_path_info labels as declared');
  const totals = select(samples, 'pathprobe_probes_total');
  const perPath = new Map<string, number>();
  for (const s of totals) perPath.set(s.labels.path!, (perPath.get(s.labels.path!) ?? 0) + 1);
  t.same(names.filter((n) => perPath.get(n) !== RESULT_CLASSES.length), [], `pathprobe_probes_total has all ${RESULT_CLASSES.length} classes of every path`);
  t.equal(sum(samples, 'pathprobe_catalog_paths'), names.length, 'pathprobe_catalog_paths counts them');
}

t.test('every path of each example catalog is scheduled, listed and has its series', async (t) => {
  // platform.yaml and minimal.yaml name cluster services: their lookups must not leave the
  // machine, so the agent runs in its own mount namespace with a resolv.conf pointing at loopback.
  if (!needRoot(t) || !needPrograms(t, ['/usr/bin/unshare', '/bin/mount'], 'util-linux, mount')) return;
  const dir = await tempDir(t);
  const resolv = join(dir, 'resolv.conf');
  await writeFile(resolv, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).sort();
  t.ok(examples.length >= 3, `examples: ${examples.join(', ')}`);
  for (const example of examples) {
    await t.test(example, async (t) => {
      const file = join(EXAMPLES, example);
      const expected = await expectedPaths(file);
      t.ok(expected.length > 0);
      const agent = await startAgentProcess(t, {
        catalogPaths: [file],
        launcher: ['/usr/bin/unshare', '--mount', '--propagation', 'private', '--'],
        shellPrefix: `mount --bind '${resolv}' /etc/resolv.conf`,
      });
      t.equal((await fetch(`${agent.url}-/ready`)).status, 200, 'ready');
      await assertScheduled(t, agent, expected);
      agent.child.kill('SIGTERM');
      t.equal((await agent.exited).code, 0);
    });
  }
});

t.test(`a generated catalog of ${PATHS} loopback paths: every path scheduled, listed, with series, and probed`, async (t) => {
  // The target runs in a process of its own: a busy test process must not slow the probes down.
  const target = await childHttpServer(t);
  const port = target.port;
  // At most ~1,000 probes a second (10,000 paths at 10 s): the rate the load test holds.
  const intervalS = Math.max(2, Math.ceil(PATHS / 1000));
  const file = await writeTempCatalog(t, generateCatalog({ count: PATHS, check: 'http', port, interval: `${intervalS}s`, timeout: '1s', prefix: 'cov' }));
  const expected = await expectedPaths(file);
  t.equal(expected.length, PATHS);
  const agent = await startAgentProcess(t, { catalogPaths: [file] });
  t.equal((await fetch(`${agent.url}-/ready`)).status, 200, 'ready');
  await assertScheduled(t, agent, expected);
  // One interval plus slack: every path has been probed and its target has seen it.
  const unprobed = await until('every path probed', async () => {
    await new Promise((r) => setTimeout(r, 2000)); // the full list is megabytes at 10,000 paths
    const missing = (await apiPaths(agent)).filter((p) => p.lastProbeAt === null).length;
    return missing === 0 ? 'all' : undefined;
  }, intervalS * 1000 + 20_000).catch(() => 'timed out');
  const sofar = parseSamples(await (await fetch(`${agent.url}metrics`)).text());
  t.comment(`${PATHS} paths every ${intervalS} s: skipped ${JSON.stringify(Object.fromEntries(select(sofar, 'pathprobe_probes_skipped_total').map((s) => [s.labels.reason, s.value])))}, probes done ${sum(sofar, 'pathprobe_probes_total')}`);
  t.equal(unprobed, 'all', 'every path has a result in /api/v1/paths');
  const seen = await target.seen();
  t.same(expected.filter((p) => !seen.has(`/p/${p.name}`)).map((p) => p.name), [], 'the target saw a request of every path');
  // A scrape may be served a render up to about a render time old (docs/server.md): poll.
  const uncounted = await until('every path counted', async () => {
    await new Promise((r) => setTimeout(r, 500));
    const samples = parseSamples(await (await fetch(`${agent.url}metrics`)).text());
    const probed = new Set(select(samples, 'pathprobe_probes_total').filter((s) => s.value > 0).map((s) => s.labels.path));
    const missing = expected.filter((p) => !probed.has(p.name)).map((p) => p.name);
    return missing.length === 0 ? missing : undefined;
  }, 20_000).catch(() => ['timed out']);
  t.same(uncounted, [], 'pathprobe_probes_total counted a probe of every path');
  agent.child.kill('SIGTERM');
  t.equal((await agent.exited).code, 0);
});

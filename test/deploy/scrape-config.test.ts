// deploy/prometheus/scrape-config.yaml against a real Prometheus. Debian's Prometheus is built
// without Kubernetes discovery, so the test swaps kubernetes_sd_configs for file_sd_configs fed
// with the same __meta_kubernetes_* labels the pod role produces, and reads which targets survive.
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { freePort } from '../helpers/free-port.js';
import { needPrograms } from '../helpers/need.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROMETHEUS = '/usr/bin/prometheus';

// Pod-role meta labels as Kubernetes discovery would set them; 127.0.0.1:1 is never scraped successfully.
function podTarget(ns: string, pod: string, labels: Record<string, string>, portName: string, phase = 'Running') {
  const meta: Record<string, string> = {
    __meta_kubernetes_namespace: ns,
    __meta_kubernetes_pod_name: pod,
    __meta_kubernetes_pod_phase: phase,
    __meta_kubernetes_pod_container_port_name: portName,
  };
  for (const [k, v] of Object.entries(labels)) {
    const name = k.replace(/[^a-zA-Z0-9_]/g, '_');
    meta[`__meta_kubernetes_pod_label_${name}`] = v;
    meta[`__meta_kubernetes_pod_labelpresent_${name}`] = 'true';
  }
  return { targets: ['127.0.0.1:1'], labels: meta };
}

t.test('the agent job keeps exactly the agents\' metrics ports; the explainer job its pod', async (t) => {
  if (!needPrograms(t, [PROMETHEUS], 'apt-get install prometheus')) return;
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-scrape-'));
  let child: ChildProcess | undefined;
  t.teardown(async () => {
    child?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });
  const config = parse(await readFile(join(ROOT, 'deploy/prometheus/scrape-config.yaml'), 'utf8'));
  const groups = {
    'pathprobe-agent': [
      podTarget('shop', 'pathprobe-agent-web-1', { app: 'web', 'pathprobe/agent': 'web' }, 'metrics'),
      podTarget('shop', 'pathprobe-agent-web-1', { app: 'web', 'pathprobe/agent': 'web' }, 'other'),
      podTarget('shop', 'web-1', { app: 'web' }, 'metrics'),
      podTarget('shop', 'pathprobe-agent-web-0', { 'pathprobe/agent': 'web' }, 'metrics', 'Pending'),
    ],
    'pathprobe-explainer': [
      podTarget('pathprobe', 'pathprobe-explainer-1', { 'app.kubernetes.io/name': 'pathprobe-explainer' }, 'metrics'),
      podTarget('pathprobe', 'grafana-1', { 'app.kubernetes.io/name': 'grafana' }, 'metrics'),
    ],
  };
  for (const job of config.scrape_configs) {
    t.ok(job.kubernetes_sd_configs, `${job.job_name} uses Kubernetes discovery`);
    delete job.kubernetes_sd_configs;
    const file = join(dir, `${job.job_name}.json`);
    await writeFile(file, JSON.stringify(groups[job.job_name as keyof typeof groups]));
    job.file_sd_configs = [{ files: [file] }];
    job.scrape_interval = '1h';
  }
  await writeFile(join(dir, 'prometheus.yml'), stringify(config));
  const port = await freePort();
  child = spawn(PROMETHEUS, [
    `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: 'ignore' });

  type Target = { labels: Record<string, string>; discoveredLabels: Record<string, string> };
  let active: Target[] = [];
  let dropped: Target[] = [];
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 300));
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/targets`);
      const body = await res.json() as { data: { activeTargets: Target[]; droppedTargets: Target[] } };
      active = body.data.activeTargets;
      dropped = body.data.droppedTargets;
      if (active.length + dropped.length >= 6) break;
    } catch { /* not up yet */ }
  }
  t.equal(active.length + dropped.length, 6, 'all discovered targets seen');
  const kept = active.map((a) => `${a.labels.job} ${a.labels.namespace}/${a.labels.pod}`).sort();
  t.same(kept, ['pathprobe-agent shop/pathprobe-agent-web-1', 'pathprobe-explainer pathprobe/pathprobe-explainer-1']);
  const agent = active.find((a) => a.labels.job === 'pathprobe-agent');
  t.equal(agent?.labels.agent, 'web', 'the agent label carries the source name');
  t.equal(dropped.length, 4, 'non-agent pods, other ports and pending pods are dropped');
});

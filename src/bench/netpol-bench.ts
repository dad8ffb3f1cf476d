// Measurement of the NetworkPolicy explainer at scale (section 5 of `npm run bench`): builds a
// synthetic cluster (default 500 namespaces, 5,000 pods, 10,000 policies, 2,000 paths), then
// times a full evaluation and single-policy incremental updates.
// Alone: npx tsx src/bench/netpol-bench.ts (sizes from NS, PODS_PER_NS, POLICIES_PER_NS, PATHS).
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { PathSpec } from '../catalog/types.js';
import { PolicyExplainer } from '../netpol/explainer.js';
import type { KubeObject } from '../netpol/objects.js';

/** Sizes of the synthetic cluster. */
export interface NetpolSizes {
  namespaces: number;
  podsPerNs: number;
  policiesPerNs: number;
  paths: number;
}

/** What the explainer measurement reports. */
export interface NetpolResult {
  model: ReturnType<PolicyExplainer['model']['counts']>;
  paths: number;
  verdicts: Record<string, number>;
  buildMs: number;
  evaluateAllMs: number;
  oneChangedPolicy: { medianMs: number; maxMs: number; avgPathsReevaluated: number };
  heapMiB: number;
}

function np(ns: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

function cluster({ namespaces: NAMESPACES, podsPerNs: PODS_PER_NS, policiesPerNs: POLICIES_PER_NS }: NetpolSizes): KubeObject[] {
  const objects: KubeObject[] = [];
  for (let n = 0; n < NAMESPACES; n++) {
    const ns = `ns-${n}`;
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { tier: n % 3 === 0 ? 'prod' : 'dev', team: `t${n % 25}` } } });
    for (let p = 0; p < PODS_PER_NS; p++) {
      objects.push({
        apiVersion: 'v1', kind: 'Pod', metadata: { name: `app-${p}`, namespace: ns, labels: { app: `app-${p % 5}`, role: p % 2 ? 'api' : 'worker' } },
        spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] }] },
        status: { podIP: `10.${Math.floor(n / 250)}.${n % 250}.${p + 1}` },
      });
    }
    for (let s = 0; s < 5; s++) {
      objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${s}`, namespace: ns }, spec: { selector: { app: `app-${s}` }, ports: [{ port: 80, targetPort: 'http' }] } });
    }
    objects.push(np(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    objects.push(np(ns, 'allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] }));
    for (let k = 2; k < POLICIES_PER_NS; k++) {
      const peer = (n + k) % NAMESPACES;
      objects.push(np(ns, `allow-${k}`, {
        podSelector: { matchLabels: { app: `app-${k % 5}` } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': `ns-${peer}` } }, podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['api'] }] } }], ports: [{ port: 'http' }] },
          { from: [{ ipBlock: { cidr: '10.0.0.0/8', except: [`10.0.${k}.0/24`] } }], ports: [{ port: 9090 }] },
        ],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { team: `t${k}` } } }], ports: [{ port: 8080, endPort: 8090 }] }],
      }));
    }
  }
  return objects;
}

function paths({ namespaces: NAMESPACES, paths: PATHS }: NetpolSizes): PathSpec[] {
  const out: PathSpec[] = [];
  for (let i = 0; i < PATHS; i++) {
    const from = `ns-${i % NAMESPACES}`;
    const to = `ns-${(i * 7 + 3) % NAMESPACES}`;
    const dns = i % 10 === 0;
    out.push({
      name: `path-${i}`, baseName: `path-${i}`, source: { name: `src-${i}`, namespace: from, labels: { app: `app-${i % 5}`, role: 'api' } },
      check: dns ? 'dns' : 'tcp', target: dns ? 'kubernetes.default' : `svc-${i % 5}.${to}.svc.cluster.local:80`,
      host: dns ? 'kubernetes.default' : `svc-${i % 5}.${to}.svc.cluster.local`, port: dns ? 0 : 80, toNamespace: dns ? '' : to,
      expect: i % 4 === 0 ? 'blocked' : 'reachable', intervalMs: 30000, timeoutMs: 5000, severity: 'critical',
      location: { file: 'bench', line: 1, col: 1 },
    });
  }
  return out;
}

/** Builds the cluster, evaluates every path, then times 20 single-policy changes. */
export function netpolBench(sizes: NetpolSizes): NetpolResult {
  const objects = cluster(sizes);
  const t0 = performance.now();
  const explainer = new PolicyExplainer();
  explainer.load(objects);
  explainer.setPaths(paths(sizes));
  const t1 = performance.now();
  const results = explainer.explainAll();
  const t2 = performance.now();
  const counts = explainer.model.counts();
  const verdicts: Record<string, number> = {};
  for (const r of results) verdicts[r.verdict] = (verdicts[r.verdict] ?? 0) + 1;

  const changeTimes: number[] = [];
  let touched = 0;
  for (let i = 0; i < 20; i++) {
    const ns = `ns-${(i * 37) % sizes.namespaces}`;
    const policy = np(ns, 'allow-2', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 8080 + i }] }] });
    const s = performance.now();
    touched += explainer.apply({ type: 'upsert', object: policy }).reevaluated.length;
    changeTimes.push(performance.now() - s);
  }
  changeTimes.sort((a, b) => a - b);
  return {
    model: counts, paths: results.length, verdicts,
    buildMs: Math.round(t1 - t0), evaluateAllMs: Math.round(t2 - t1),
    oneChangedPolicy: { medianMs: +changeTimes[10]!.toFixed(2), maxMs: +changeTimes[19]!.toFixed(2), avgPathsReevaluated: touched / 20 },
    heapMiB: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
  console.log(JSON.stringify(netpolBench({
    namespaces: env('NS', 500), podsPerNs: env('PODS_PER_NS', 10), policiesPerNs: env('POLICIES_PER_NS', 20), paths: env('PATHS', 2000),
  }), null, 2));
}

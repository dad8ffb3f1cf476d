// Test harness in the style of the Kubernetes netpol e2e suite: namespaces x, y, z with pods
// a, b, c each, one policy set per scenario, and the full 9×9 reachability matrix as a table.
import type { Test } from 'tap';
import { parse } from 'yaml';
import { ClusterModel } from '../../src/netpol/model.js';
import { evaluateConnection } from '../../src/netpol/evaluate.js';
import type { KubeObject } from '../../src/netpol/objects.js';
import type { Protocol } from '../../src/netpol/policy.js';
import type { PodInfo } from '../../src/netpol/decode.js';

export const NAMESPACES = ['x', 'y', 'z'] as const;
export const PODS = ['a', 'b', 'c'] as const;

/** Pod IP of ns/pod: x → 10.1.0.n, y → 10.2.0.n, z → 10.3.0.n (a=1, b=2, c=3). */
export function podIp(ns: string, pod: string): string {
  return `10.${NAMESPACES.indexOf(ns as 'x') + 1}.0.${PODS.indexOf(pod as 'a') + 1}`;
}

/** The e2e suite's serving ports: 80 and 81 on TCP, UDP and SCTP, named serve-<port>-<proto>. */
function containerPorts(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const protocol of ['TCP', 'UDP', 'SCTP']) {
    for (const port of [80, 81]) out.push({ name: `serve-${port}-${protocol.toLowerCase()}`, containerPort: port, protocol });
  }
  return out;
}

/** Namespaces (label ns=<name>, plus extra labels) and the nine pods (label pod=<name>). */
export function baseObjects(extraNamespaceLabels: Record<string, Record<string, string>> = {}): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const ns of NAMESPACES) {
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { ns, ...(extraNamespaceLabels[ns] ?? {}) } } });
    for (const pod of PODS) {
      objects.push({
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: pod, namespace: ns, labels: { pod } },
        spec: { containers: [{ name: 'cont', image: 'agnhost', ports: containerPorts() }] },
        status: { podIP: podIp(ns, pod) },
      });
    }
  }
  return objects;
}

/** Parses multi-document YAML policies. */
export function policies(yamlText: string): KubeObject[] {
  return yamlText.split(/^---$/m).map((d) => parse(d) as KubeObject).filter((o) => o !== null && o !== undefined);
}

/** Builds the model; throws when a policy does not compile (a scenario typo must not pass). */
export function buildModel(policyObjects: KubeObject[], extraNamespaceLabels: Record<string, Record<string, string>> = {}): ClusterModel {
  const { model, problems } = ClusterModel.fromObjects([...baseObjects(extraNamespaceLabels), ...policyObjects]);
  if (problems.length > 0) throw new Error(`scenario does not compile: ${JSON.stringify(problems)}`);
  return model;
}

const PEERS = NAMESPACES.flatMap((ns) => PODS.map((pod) => `${ns}/${pod}`));

/** Computes the table: rows are sources, columns destinations; `.` allowed, `X` denied, `?` unknown. */
export function reachability(model: ClusterModel, port: number, protocol: Protocol = 'TCP'): string {
  const pod = (peer: string): PodInfo => {
    const [ns, name] = peer.split('/') as [string, string];
    const found = model.podsIn(ns).find((p) => p.name === name);
    if (!found) throw new Error(`no pod ${peer}`);
    return found;
  };
  const lines = [`     ${PEERS.join(' ')}`];
  for (const from of PEERS) {
    const cells = PEERS.map((to) => {
      const r = evaluateConnection(model, { source: pod(from), destination: { kind: 'pod', pod: pod(to) }, port, protocol });
      return r.verdict === 'allowed' ? '.' : r.verdict === 'unknown' ? '?' : 'X';
    });
    lines.push(`${from} ${cells.join(' ')}`);
  }
  return normalise(lines.join('\n'));
}

/** Normalises a written table (whitespace-insensitive) so it compares with a computed one. */
export function normalise(table: string): string {
  return table.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' ')).join('\n');
}

/** A table where every cell is allowed. */
export const ALL_ALLOWED = `
     x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a   .   .   .   .   .   .   .   .   .
x/b   .   .   .   .   .   .   .   .   .
x/c   .   .   .   .   .   .   .   .   .
y/a   .   .   .   .   .   .   .   .   .
y/b   .   .   .   .   .   .   .   .   .
y/c   .   .   .   .   .   .   .   .   .
z/a   .   .   .   .   .   .   .   .   .
z/b   .   .   .   .   .   .   .   .   .
z/c   .   .   .   .   .   .   .   .   .`;

/** One scenario: policies (YAML) and the expected table per port/protocol. */
export interface Scenario {
  name: string;
  policies: string;
  namespaceLabels?: Record<string, Record<string, string>>;
  tables: { port: number; protocol?: Protocol; expect: string }[];
}

/** Runs scenarios as subtests: each computed table must equal the written one. */
export function runScenarios(t: Test, scenarios: Scenario[]): void {
  for (const s of scenarios) {
    t.test(s.name, async (t) => {
      const model = buildModel(policies(s.policies), s.namespaceLabels);
      for (const table of s.tables) {
        t.equal(reachability(model, table.port, table.protocol ?? 'TCP'), normalise(table.expect), `${table.protocol ?? 'TCP'} ${table.port}`);
      }
    });
  }
}

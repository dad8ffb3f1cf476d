// Incremental evaluation: one changed object re-evaluates only the paths it can affect, and the
// cached answers equal a full re-evaluation.
import t from 'tap';
import { PolicyExplainer } from '../../src/netpol/explainer.js';
import { pathSpec } from './path-spec.js';
import { ALLOW_ESO_TO_VAULT, ESO_LABELS, denyIngress, namespace, vaultPlatform } from './platform-objects.js';

const paths = [
  pathSpec({ name: 'eso-to-vault', source: { name: 'eso', namespace: 'external-secrets', labels: ESO_LABELS }, target: 'vault.vault.svc.cluster.local:8200' }),
  pathSpec({ name: 'team-a-dns', source: { namespace: 'team-a' }, target: 'kubernetes.default', check: 'dns' }),
  pathSpec({ name: 'team-b-to-ip', source: { namespace: 'team-b' }, target: '10.77.0.1:80' }),
];

function fresh(): PolicyExplainer {
  const e = new PolicyExplainer();
  e.load([...vaultPlatform(), namespace('team-a'), namespace('team-b')]);
  e.setPaths(paths);
  e.explainAll();
  return e;
}

t.test('a policy change re-evaluates only the paths of its namespace', async (t) => {
  const e = fresh();
  t.equal(e.explanation('eso-to-vault')!.verdict, 'denied_ingress');
  const added = e.apply({ type: 'upsert', object: ALLOW_ESO_TO_VAULT });
  t.same(added.reevaluated.map((r) => r.path), ['eso-to-vault']);
  t.equal(added.reevaluated[0]!.verdict, 'allowed');
  t.equal(e.explanation('eso-to-vault')!.verdict, 'allowed');
  const removed = e.apply({ type: 'delete', object: ALLOW_ESO_TO_VAULT });
  t.equal(removed.reevaluated[0]!.verdict, 'denied_ingress');
  const unrelated = e.apply({ type: 'upsert', object: denyIngress('elsewhere') });
  t.same(unrelated.reevaluated, []);
});

t.test('namespace label changes re-evaluate paths that read the namespace', async (t) => {
  const e = fresh();
  e.apply({ type: 'upsert', object: {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'by-team-label', namespace: 'vault' },
    spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'secrets' } } }] }] },
  } });
  t.equal(e.explanation('eso-to-vault')!.verdict, 'denied_ingress');
  const r = e.apply({ type: 'upsert', object: namespace('external-secrets', { team: 'secrets' }) });
  t.same(r.reevaluated.map((x) => x.path), ['eso-to-vault']);
  t.equal(r.reevaluated[0]!.verdict, 'allowed');
});

t.test('pods anywhere re-resolve IP targets; cluster-wide kinds touch every path', async (t) => {
  const e = fresh();
  t.match(e.explanation('team-b-to-ip')!.to, /address 10\.77\.0\.1/);
  const r = e.apply({ type: 'upsert', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'far', labels: { a: 'b' } }, status: { podIP: '10.77.0.1' } } });
  t.same(r.reevaluated.map((x) => x.path), ['team-b-to-ip']);
  t.match(r.reevaluated[0]!.to, /pod far\/p/);
  const g = e.apply({ type: 'upsert', object: { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'cw' }, spec: {} } });
  t.equal(g.reevaluated.length, paths.length);
  t.ok(g.reevaluated.every((x) => x.verdict === 'unknown'));
});

t.test('after a series of changes the cache equals a from-scratch evaluation', async (t) => {
  const e = fresh();
  e.apply({ type: 'upsert', object: ALLOW_ESO_TO_VAULT });
  e.apply({ type: 'upsert', object: denyIngress('team-a') });
  e.apply({ type: 'upsert', object: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-egress', namespace: 'team-a' }, spec: { podSelector: {}, policyTypes: ['Egress'] } } });
  const scratch = new PolicyExplainer();
  scratch.load([...vaultPlatform(), namespace('team-a'), namespace('team-b'), ALLOW_ESO_TO_VAULT, denyIngress('team-a'),
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-egress', namespace: 'team-a' }, spec: { podSelector: {}, policyTypes: ['Egress'] } }]);
  scratch.setPaths(paths);
  t.same(e.explainAll(), scratch.explainAll());
  t.equal(e.explanation('team-a-dns')!.verdict, 'denied_egress');
});

t.test('folding connection verdicts: the one that contradicts expect wins', async (t) => {
  const { foldVerdict } = await import('../../src/netpol/explain.js');
  const c = (allowed: number, deniedEgress: number, deniedIngress: number, unknown: number) =>
    ({ total: allowed + deniedEgress + deniedIngress + unknown, allowed, deniedEgress, deniedIngress, unknown });
  t.equal(foldVerdict('reachable', c(0, 0, 0, 0)), 'unknown', 'nothing to evaluate is never allowed');
  t.equal(foldVerdict('reachable', c(3, 0, 1, 1)), 'denied_ingress');
  t.equal(foldVerdict('reachable', c(3, 1, 1, 0)), 'denied_egress');
  t.equal(foldVerdict('reachable', c(3, 0, 0, 1)), 'unknown');
  t.equal(foldVerdict('reachable', c(3, 0, 0, 0)), 'allowed');
  t.equal(foldVerdict('blocked', c(1, 2, 2, 0)), 'allowed');
  t.equal(foldVerdict('blocked', c(0, 2, 0, 1)), 'unknown');
  t.equal(foldVerdict('blocked', c(0, 0, 2, 0)), 'denied_ingress');
});

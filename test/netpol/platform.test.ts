// Seed-style platform scenarios through the whole engine: ESO → Vault behind default-deny-ingress,
// DNS behind default-deny egress, suggestions that are re-applied and must fix the path.
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { PolicyExplainer } from '../../src/netpol/explainer.js';
import type { KubeObject } from '../../src/netpol/objects.js';
import { pathSpec } from './path-spec.js';
import { ALLOW_ESO_TO_VAULT, ESO_LABELS, denyAll, namespace, vaultPlatform } from './platform-objects.js';
import type { PathSpec } from '../../src/catalog/types.js';

function explain(objects: KubeObject[], paths: PathSpec[]) {
  const explainer = new PolicyExplainer();
  const problems = explainer.load(objects);
  explainer.setPaths(paths);
  return { results: explainer.explainAll(), problems };
}

function suggestionObjects(yamlText: string | null): KubeObject[] {
  if (!yamlText) return [];
  return parseAllDocuments(yamlText).map((d) => d.toJS() as KubeObject);
}

const esoToVault = pathSpec({ name: 'eso-to-vault', source: { name: 'eso', namespace: 'external-secrets', labels: ESO_LABELS }, target: 'vault.vault.svc.cluster.local:8200' });

t.test('ESO → Vault times out behind default-deny-ingress: denied_ingress with a working suggestion', async (t) => {
  const { results: [r], problems } = explain(vaultPlatform(), [esoToVault]);
  t.same(problems, []);
  t.equal(r!.verdict, 'denied_ingress');
  t.equal(r!.matches, false);
  t.equal(r!.ingress.isolated, true);
  t.same(r!.ingress.isolatedBy, ['vault/default-deny-ingress']);
  t.same(r!.ingress.allowedBy, []);
  t.equal(r!.egress.isolated, false, 'external-secrets has only an ingress deny: egress stays open');
  t.match(r!.notes.join('\n'), /ingress denied: vault\/vault \(StatefulSet template\) is isolated for ingress by vault\/default-deny-ingress/);
  t.equal(r!.suggestionVerified, true);
  const suggested = suggestionObjects(r!.suggestion);
  t.equal(suggested.length, 1, 'one policy: the source is not egress-isolated');
  t.match(suggested[0], {
    kind: 'NetworkPolicy',
    metadata: { name: 'allow-eso-to-vault-8200-ingress', namespace: 'vault' },
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'vault' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'external-secrets' } }, podSelector: { matchLabels: ESO_LABELS } }],
        ports: [{ protocol: 'TCP', port: 8200 }],
      }],
    },
  });
  // Independently of the engine's own check: apply the suggestion and explain again.
  const fixed = explain([...vaultPlatform(), ...suggested], [esoToVault]).results[0]!;
  t.equal(fixed.verdict, 'allowed');
  t.same(fixed.ingress.allowedBy, [{ policy: 'vault/allow-eso-to-vault-8200-ingress', rule: 0 }]);
});

t.test('two paths to one destination on two ports: two suggestions that, applied together, open both', async (t) => {
  const cluster = pathSpec({ name: 'eso-to-vault-cluster', source: esoToVault.source, target: 'vault.vault.svc.cluster.local:8201' });
  const { results } = explain(vaultPlatform(), [esoToVault, cluster]);
  const suggested = results.flatMap((r) => suggestionObjects(r.suggestion));
  const meta = (o: KubeObject) => o.metadata as { name: string; namespace: string };
  t.same(suggested.map((o) => meta(o).name), ['allow-eso-to-vault-8200-ingress', 'allow-eso-to-vault-8201-ingress']);
  // Applied as kubectl apply would: one object per namespace and name, a later one replacing an earlier.
  const applied = new Map(suggested.map((o) => [`${meta(o).namespace}/${meta(o).name}`, o]));
  const fixed = explain([...vaultPlatform(), ...applied.values()], [esoToVault, cluster]).results;
  t.same(fixed.map((r) => r.verdict), ['allowed', 'allowed'], 'neither suggestion replaced the other');
});

t.test('with the seed fix allow-eso-to-vault the path is allowed and the rule is named', async (t) => {
  const r = explain([...vaultPlatform(), ALLOW_ESO_TO_VAULT], [esoToVault]).results[0]!;
  t.equal(r.verdict, 'allowed');
  t.equal(r.matches, true);
  t.same(r.ingress.allowedBy, [{ policy: 'vault/allow-eso-to-vault', rule: 0 }]);
  t.equal(r.suggestion, null);
  // Port 8201 is not covered by that fix.
  const other = explain([...vaultPlatform(), ALLOW_ESO_TO_VAULT], [{ ...esoToVault, name: 'eso-8201', port: 8201, target: 'vault.vault.svc.cluster.local:8201' }]).results[0]!;
  t.equal(other.verdict, 'denied_ingress');
});

const ALLOW_DNS_UDP_ONLY: KubeObject = {
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-dns', namespace: 'team-a' },
  spec: {
    podSelector: {}, policyTypes: ['Egress'],
    egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] }],
  },
};

t.test('every namespace → kube-dns behind default-deny egress without a DNS allow', async (t) => {
  const tenants = ['team-a', 'team-b', 'team-c'];
  const objects = tenants.flatMap((ns) => [namespace(ns), denyAll(ns)]);
  const paths = tenants.map((ns) => pathSpec({ name: `tenant-dns@${ns}`, source: { name: 'tenant', namespace: ns }, target: 'kubernetes.default.svc.cluster.local', check: 'dns' }));
  const { results } = explain(objects, paths);
  for (const r of results) {
    t.equal(r.verdict, 'denied_egress', r.path);
    t.equal(r.connections.total, 2, 'UDP and TCP 53 to the (assumed) cluster DNS pod');
    t.match(r.notes.join('\n'), /UDP 53 denied \(egress\)/);
    t.match(r.notes.join('\n'), /TCP 53 denied \(egress\)/);
    t.equal(r.suggestionVerified, true);
    const [policy] = suggestionObjects(r.suggestion);
    t.match(policy, {
      metadata: { name: 'allow-tenant-to-kube-dns-53-egress' },
      spec: { policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] },
    });
  }
  // UDP only: still denied, and the note says TCP is the missing one.
  const udpOnly = explain([...objects, ALLOW_DNS_UDP_ONLY], paths.slice(0, 1)).results[0]!;
  t.equal(udpOnly.verdict, 'denied_egress');
  t.match(udpOnly.notes.join('\n'), /UDP 53 allowed/);
  t.match(udpOnly.notes.join('\n'), /TCP 53 denied \(egress\)/);
  t.same(suggestionObjects(udpOnly.suggestion)[0]?.spec, { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'TCP', port: 53 }] }] });
  const both = structuredClone(ALLOW_DNS_UDP_ONLY) as { spec: { egress: { ports: unknown[] }[] } };
  both.spec.egress[0]!.ports.push({ protocol: 'TCP', port: 53 });
  const fixed = explain([...objects, both as KubeObject], paths.slice(0, 1)).results[0]!;
  t.equal(fixed.verdict, 'allowed');
  t.same(fixed.egress.allowedBy, [{ policy: 'team-a/allow-dns', rule: 0 }]);
});

t.test('a path to a Service by name whose source may not look names up: allowed, with a note that the lookup is denied', async (t) => {
  // external-secrets may reach vault:8200 (egress and ingress), but its egress allows nothing else: no DNS.
  const egressToVaultOnly: KubeObject = {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'eso-egress', namespace: 'external-secrets' },
    spec: {
      podSelector: {}, policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'vault' } } }], ports: [{ protocol: 'TCP', port: 8200 }] }],
    },
  };
  const objects = [...vaultPlatform(), ALLOW_ESO_TO_VAULT, egressToVaultOnly];
  const r = explain(objects, [esoToVault]).results[0]!;
  t.equal(r.verdict, 'allowed', 'the verdict is the connection\'s');
  t.match(r.notes.join('\n'), /name lookup denied: UDP 53 to the cluster DNS is denied \(egress at .*external-secrets.*\), so resolving vault\.vault\.svc\.cluster\.local ends in dns_timeout/);
  const dnsAllowed = structuredClone(ALLOW_DNS_UDP_ONLY) as KubeObject & { metadata: { namespace: string } };
  dnsAllowed.metadata.namespace = 'external-secrets';
  const fixed = explain([...objects, dnsAllowed], [esoToVault]).results[0]!;
  t.equal(fixed.verdict, 'allowed');
  t.notMatch(fixed.notes.join('\n'), /name lookup/, 'no note once DNS egress is allowed');
  const open = explain([...vaultPlatform(), ALLOW_ESO_TO_VAULT], [esoToVault]).results[0]!;
  t.notMatch(open.notes.join('\n'), /name lookup/, 'nor when the source is not egress-isolated');
});

t.test('named port rules resolve on real CoreDNS pods when they are in the manifests', async (t) => {
  const coredns: KubeObject = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'coredns-1', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: { containers: [{ name: 'coredns', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }] }] },
    status: { podIP: '10.96.5.5' },
  };
  const allowNamed: KubeObject = {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-dns-named', namespace: 'team-a' },
    spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'dns', protocol: 'UDP' }, { port: 'dns-tcp', protocol: 'TCP' }] }] },
  };
  const path = pathSpec({ name: 'dns', source: { namespace: 'team-a' }, target: 'example.org', check: 'dns' });
  const r = explain([namespace('team-a'), denyAll('team-a'), coredns, allowNamed], [path]).results[0]!;
  t.equal(r.verdict, 'allowed');
  t.equal(r.connections.total, 2);
});

t.test('source egress-isolated and destination ingress-isolated: a verified pair of policies', async (t) => {
  const objects = [...vaultPlatform(), denyAll('external-secrets')];
  const r = explain(objects, [esoToVault]).results[0]!;
  t.equal(r.verdict, 'denied_egress');
  t.equal(r.egress.allowed, false);
  t.equal(r.ingress.allowed, false);
  t.equal(r.suggestionVerified, true);
  const names = suggestionObjects(r.suggestion).map((p) => `${(p.metadata as { namespace: string }).namespace}/${(p.metadata as { name: string }).name}`);
  t.same(names, ['external-secrets/allow-eso-to-vault-8200-egress', 'vault/allow-eso-to-vault-8200-ingress']);
  const fixed = explain([...objects, ...suggestionObjects(r.suggestion)], [esoToVault]).results[0]!;
  t.equal(fixed.verdict, 'allowed');
});

t.test('a blocked path that is allowed names the too-broad policies', async (t) => {
  const allowAll: KubeObject = {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-everything', namespace: 'vault' },
    spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] },
  };
  const blocked = pathSpec({ name: 'staging-never-reaches-vault', source: { namespace: 'staging' }, target: 'vault.vault.svc.cluster.local:8200', expect: 'blocked' });
  const r = explain([...vaultPlatform(), allowAll], [blocked]).results[0]!;
  t.equal(r.verdict, 'allowed');
  t.equal(r.matches, false);
  t.same(r.ingress.allowedBy, [{ policy: 'vault/allow-everything', rule: 0 }]);
  t.match(r.notes.join('\n'), /ingress allowed by vault\/allow-everything rule 0 \(too broad\)/);
  t.match(r.notes.join('\n'), /source is not isolated for egress/);
  t.equal(r.suggestion, null);
  const held = explain(vaultPlatform(), [blocked]).results[0]!;
  t.equal(held.verdict, 'denied_ingress');
  t.equal(held.matches, true);
  t.equal(held.suggestion, null, 'no allow is suggested for a path that must stay blocked');
});

t.test('Calico, Cilium and AdminNetworkPolicy objects make affected verdicts unknown', async (t) => {
  const gnp: KubeObject = { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'deny-metadata' }, spec: {} };
  const cnp: KubeObject = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'l7', namespace: 'vault' }, spec: {} };
  const elsewhere: KubeObject = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'other', namespace: 'unrelated' }, spec: {} };
  const base = [...vaultPlatform(), ALLOW_ESO_TO_VAULT];
  const ok = explain([...base, elsewhere], [esoToVault]).results[0]!;
  t.equal(ok.verdict, 'allowed', 'a namespaced foreign policy elsewhere does not matter');
  const namespaced = explain([...base, cnp], [esoToVault]).results[0]!;
  t.equal(namespaced.verdict, 'unknown');
  t.match(namespaced.notes.join('\n'), /cilium\.io\/v2 CiliumNetworkPolicy vault\/l7 may select the source or destination .* NetworkPolicy v1 alone gives allowed/);
  const global = explain([...base, gnp], [esoToVault]).results[0]!;
  t.equal(global.verdict, 'unknown');
  t.match(global.notes.join('\n'), /projectcalico\.org\/v3 GlobalNetworkPolicy deny-metadata/);
  const anp: KubeObject = { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'tenancy' }, spec: {} };
  t.equal(explain([...base, anp], [esoToVault]).results[0]!.verdict, 'unknown');
});

t.test('an invalid NetworkPolicy in a path namespace makes the verdict unknown, never allowed', async (t) => {
  const bad: KubeObject = {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'typo', namespace: 'vault' },
    spec: { podSelector: {}, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }] } }] }] },
  };
  const { results: [r], problems } = explain([...vaultPlatform(), ALLOW_ESO_TO_VAULT, bad], [esoToVault]);
  t.equal(r!.verdict, 'unknown');
  t.match(r!.notes.join('\n'), /NetworkPolicy vault\/typo \(invalid: operator must be one of In, NotIn, Exists, DoesNotExist\)/);
  t.match(problems, [{ path: ['spec', 'ingress', 0, 'from', 0, 'podSelector', 'matchExpressions', 0, 'operator'] }]);
});

t.test('rules of a direction outside policyTypes are still validated: the API rejects the whole policy', async (t) => {
  // ValidateNetworkPolicySpec checks spec.ingress and spec.egress whatever policyTypes says.
  const bad: KubeObject = {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'egress-only', namespace: 'vault' },
    spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }] }], ingress: [{ ports: [{ port: 8200, protocol: 'tcp' }] }] },
  };
  const { results: [r], problems } = explain([...vaultPlatform(), ALLOW_ESO_TO_VAULT, bad], [esoToVault]);
  t.equal(r!.verdict, 'unknown');
  t.match(r!.notes.join('\n'), /NetworkPolicy vault\/egress-only \(invalid: protocol must be TCP, UDP or SCTP\)/);
  t.match(problems, [{ path: ['spec', 'ingress', 0, 'ports', 0, 'protocol'] }]);
});

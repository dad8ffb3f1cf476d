// The nftables ruleset of a pod namespace: what each policy renders to, and that the kernel
// accepts every variant (`nft --check` in a throwaway namespace).
import t from 'tap';
import { inNetns, ip, NFT } from '../../src/lab/exec.js';
import { netnsName, newRunId, stateDir } from '../../src/lab/names.js';
import { EGRESS_SINK_MARK, renderRuleset, type ResolvedPolicy } from '../../src/lab/nft-rules.js';
import { SCENARIOS } from '../../src/lab/scenarios.js';
import { claimStateDir } from '../../src/lab/owner.js';
import { sweepRun } from '../../src/lab/sweep.js';
import { canRunLab } from '../helpers/lab-scenario.js';

const addressOf = (pod: string): string => ({ web: '198.18.0.11', 'kube-dns': '198.18.0.10' })[pod] ?? '198.18.0.99';

const VARIANTS: Record<string, ResolvedPolicy> = {
  open: {},
  'ingress drop with an allow': { ingress: { deny: 'drop', allow: [{ pod: 'web', ports: [{ port: 8080 }] }] }, scrape: { from: '198.18.0.1', port: 9477 } },
  'ingress reject': { ingress: { deny: 'reject', allow: [] } },
  'ingress tcp reset': { ingress: { deny: 'tcp-reset', allow: [{ pod: 'web' }] } },
  'egress drop with DNS': { egress: { deny: 'drop', allow: [{ pod: 'kube-dns', ports: [{ port: 53, protocol: 'udp' }, { port: 53, protocol: 'tcp' }] }] } },
  'egress reject': { egress: { deny: 'reject', allow: [] } },
};

t.test('an open pod filters nothing; the table replaces its previous version in one transaction', async (t) => {
  const text = renderRuleset({}, addressOf);
  t.match(text, /^add table ip pplab\ndelete table ip pplab\ntable ip pplab \{/);
  t.notMatch(text, /drop|reject|accept\n/, 'no verdict rules, only the accept policy');
});

t.test('ingress: loopback, replies and the scrape first, then allows, then the deny', async (t) => {
  const text = renderRuleset(VARIANTS['ingress drop with an allow'] as ResolvedPolicy, addressOf);
  const ingress = text.slice(text.indexOf('chain ingress'), text.indexOf('chain egress'));
  t.same(ingress.split('\n').map((l) => l.trim()).filter(Boolean).slice(1, -1), [
    'type filter hook input priority 0; policy accept;',
    'iif "lo" accept',
    'ct state established,related accept',
    'ip saddr 198.18.0.1 tcp dport 9477 accept',
    'ip saddr 198.18.0.11 tcp dport 8080 accept',
    'drop',
  ]);
  t.match(renderRuleset(VARIANTS['ingress reject'] as ResolvedPolicy, addressOf), /reject with icmp type host-unreachable/);
  t.match(renderRuleset(VARIANTS['ingress tcp reset'] as ResolvedPolicy, addressOf), /ip saddr 198\.18\.0\.11 accept\n\s+meta l4proto tcp reject with tcp reset\n\s+drop/);
});

t.test('egress drop marks packets for the sink in a route chain (a plain drop would EPERM the sender)', async (t) => {
  const text = renderRuleset(VARIANTS['egress drop with DNS'] as ResolvedPolicy, addressOf);
  t.match(text, /type route hook output priority 0/);
  t.match(text, /ip daddr 198\.18\.0\.10 udp dport 53 accept\n\s+ip daddr 198\.18\.0\.10 tcp dport 53 accept/);
  t.match(text, new RegExp(`meta mark set ${EGRESS_SINK_MARK}\\n`));
  t.notMatch(text, /\bdrop\b/);
  t.match(renderRuleset(VARIANTS['egress reject'] as ResolvedPolicy, addressOf), /type filter hook output[^]*reject with icmp type host-unreachable/);
});

t.test('the kernel accepts every variant and every scenario pod\'s ruleset', async (t) => {
  if (!canRunLab(t)) return;
  const runId = newRunId();
  await claimStateDir(stateDir(runId), runId); // owned: a concurrent lab test's sweep keeps it
  t.teardown(() => sweepRun(runId));
  const netns = netnsName(runId, 'check');
  await ip('netns', 'add', netns);
  const rulesets = Object.entries(VARIANTS).map(([name, p]) => [name, renderRuleset(p, addressOf)] as const);
  for (const s of SCENARIOS) {
    for (const pod of s.pods) rulesets.push([`${s.name}/${pod.name}`, renderRuleset({ ...(pod.ingress ? { ingress: pod.ingress } : {}), ...(pod.egress ? { egress: pod.egress } : {}) }, addressOf)]);
  }
  for (const [name, text] of rulesets) {
    await t.resolves(inNetns(netns, NFT, ['--check', '-f', '-'], text), `${name}: nft --check accepts it`);
  }
});

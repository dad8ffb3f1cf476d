// nftables ruleset of one pod namespace, enforcing its policy on its own interface the way a
// CNI does: ingress in the destination's namespace (input hook), egress in the source's
// (output hook). Replies of allowed connections pass (conntrack), loopback is never filtered.
// An egress drop cannot be a plain `drop` in the output hook: the kernel would fail the sender's
// send() with EPERM, which no pod behind a CNI sees. Denied packets are marked instead and
// routed into a sink veth (topology.ts), where they vanish silently, as on a CNI's host side.
import type { AllowRule, DirectionPolicy } from './scenario-types.js';

/** nft table the lab owns inside each pod namespace. */
export const LAB_TABLE = 'pplab';

/** Mark of egress packets to sink; topology.ts routes it into the sink veth. */
export const EGRESS_SINK_MARK = 0x1;

/** A pod's policy with peers already resolved to addresses. */
export interface ResolvedPolicy {
  ingress?: DirectionPolicy;
  egress?: DirectionPolicy;
  /** Always allowed in: the node address to the agent port (the scrape). */
  scrape?: { from: string; port: number };
}

const DENY: Record<DirectionPolicy['deny'], string> = {
  drop: 'drop',
  reject: 'reject with icmp type host-unreachable',
  'tcp-reset': 'meta l4proto tcp reject with tcp reset',
};

function allowLines(rule: AllowRule, peerField: 'saddr' | 'daddr', address: string): string[] {
  const peer = `ip ${peerField} ${address}`;
  if (!rule.ports || rule.ports.length === 0) return [`${peer} accept`];
  return rule.ports.map((p) => `${peer} ${p.protocol ?? 'tcp'} dport ${p.port} accept`);
}

function chain(name: string, hook: 'input' | 'output', policy: DirectionPolicy | undefined, peerField: 'saddr' | 'daddr', addressOf: (pod: string) => string, extra: string[]): string[] {
  const sink = hook === 'output' && policy?.deny === 'drop';
  const lines = [`  chain ${name} {`, `    type ${sink ? 'route' : 'filter'} hook ${hook} priority 0; policy accept;`];
  if (policy) {
    lines.push(`    ${hook === 'input' ? 'iif' : 'oif'} "lo" accept`, '    ct state established,related accept', ...extra.map((l) => `    ${l}`));
    for (const rule of policy.allow) for (const l of allowLines(rule, peerField, addressOf(rule.pod))) lines.push(`    ${l}`);
    lines.push(sink ? `    meta mark set ${EGRESS_SINK_MARK}` : `    ${DENY[policy.deny]}`);
    if (policy.deny === 'tcp-reset') lines.push('    drop');
  }
  lines.push('  }');
  return lines;
}

/** The whole table, replacing any previous one atomically when fed to `nft -f -`. */
export function renderRuleset(policy: ResolvedPolicy, addressOf: (pod: string) => string): string {
  const scrape = policy.scrape ? [`ip saddr ${policy.scrape.from} tcp dport ${policy.scrape.port} accept`] : [];
  return [
    `add table ip ${LAB_TABLE}`,
    `delete table ip ${LAB_TABLE}`,
    `table ip ${LAB_TABLE} {`,
    ...chain('ingress', 'input', policy.ingress, 'saddr', addressOf, scrape),
    ...chain('egress', 'output', policy.egress, 'daddr', addressOf, []),
    '}',
    '',
  ].join('\n');
}

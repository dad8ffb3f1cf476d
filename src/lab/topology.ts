// The lab network: a "node" namespace holding a bridge, and one namespace per pod joined to it by
// a veth pair, addressed from 198.18.0.0/15 (benchmarking range) with no default route out.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inNetns, ip } from './exec.js';
import { netnsName } from './names.js';
import { EGRESS_SINK_MARK } from './nft-rules.js';

/** Routing table holding the egress sink route. */
const SINK_TABLE = '100';

/** The node's address on the bridge (scrapes come from here). */
export const NODE_ADDRESS = '198.18.0.1';
const PREFIX_LENGTH = 24;

/** The address of the pod with index `i` (0-based): 198.18.0.10 onward. */
export function podAddress(i: number): string {
  return `198.18.0.${10 + i}`;
}

/** Creates the node namespace and its bridge; returns the namespace name. */
export async function createNode(runId: string): Promise<string> {
  const netns = netnsName(runId, 'node');
  await ip('netns', 'add', netns);
  await ip('-n', netns, 'link', 'set', 'lo', 'up');
  await ip('-n', netns, 'link', 'add', 'br0', 'type', 'bridge');
  await ip('-n', netns, 'addr', 'add', `${NODE_ADDRESS}/${PREFIX_LENGTH}`, 'dev', 'br0');
  await ip('-n', netns, 'link', 'set', 'br0', 'up');
  return netns;
}

/**
 * Creates a pod namespace with `eth0` at `address`, its peer `vp<index>` on the node's bridge
 * (veth names live only in the node and pod namespaces: no collision with other runs), and the
 * pod's resolv.conf in /etc/netns/<netns>/ (bind-mounted by `ip netns exec`).
 */
export async function createPod(
  runId: string,
  nodeNetns: string,
  pod: { name: string; namespace: string; index: number; address: string },
  nameserver: string,
): Promise<string> {
  const netns = netnsName(runId, pod.name);
  const peer = `vp${pod.index}`;
  await mkdir(join('/etc/netns', netns), { recursive: true });
  await writeFile(
    join('/etc/netns', netns, 'resolv.conf'),
    `nameserver ${nameserver}\nsearch ${pod.namespace}.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n`,
  );
  await ip('netns', 'add', netns);
  await ip('-n', netns, 'link', 'set', 'lo', 'up');
  await ip('-n', nodeNetns, 'link', 'add', peer, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns);
  await ip('-n', nodeNetns, 'link', 'set', peer, 'master', 'br0', 'up');
  await ip('-n', netns, 'addr', 'add', `${pod.address}/${PREFIX_LENGTH}`, 'dev', 'eth0');
  await ip('-n', netns, 'link', 'set', 'eth0', 'up');
  // The egress sink: marked packets leave by sink0 (no ARP) and die in sink1, which has no
  // address and does not forward: no error for the sender, no ICMP back, like a policy drop.
  await ip('-n', netns, 'link', 'add', 'sink0', 'type', 'veth', 'peer', 'name', 'sink1');
  await ip('-n', netns, 'link', 'set', 'sink0', 'arp', 'off', 'up');
  await ip('-n', netns, 'link', 'set', 'sink1', 'up');
  await ip('-n', netns, 'route', 'add', 'default', 'dev', 'sink0', 'table', SINK_TABLE);
  await ip('-n', netns, 'rule', 'add', 'fwmark', String(EGRESS_SINK_MARK), 'lookup', SINK_TABLE);
  // Every REJECT must answer: the default ICMP rate limit would turn some into silent drops.
  // (/proc/sys/net shows the namespace of the process that opens it; no procps needed.)
  await inNetns(netns, 'sh', ['-c', 'echo 0 > /proc/sys/net/ipv4/icmp_ratelimit']);
  return netns;
}

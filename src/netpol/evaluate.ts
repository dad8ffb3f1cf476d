// The NetworkPolicy evaluator: decides one connection (source pod → destination pod or address,
// port, protocol) per direction and names the policy rules that allow it. Rules cited are from
// the networking.k8s.io/v1 API reference and the "Network Policies" concept page.
import { cidrContains, type IpAddress } from './cidr.js';
import type { PodInfo } from './decode.js';
import type { CompiledPeer, CompiledPolicy, CompiledPort, CompiledRule, Protocol } from './policy.js';
import type { Labels } from './selector.js';

/** What the evaluator needs from the model (an overlay adds suggested policies). */
export interface PolicyLookup {
  policiesIn(namespace: string): readonly CompiledPolicy[];
  namespaceLabels(namespace: string): Labels;
}

/** A connection's far end: a pod, or an address outside the pod network (IP may be unknown). */
export type Destination =
  | { kind: 'pod'; pod: PodInfo }
  | { kind: 'address'; host: string; ip?: IpAddress };

/** One connection to decide. `port` is the port on the destination pod (after Service DNAT). */
export interface Connection {
  source: PodInfo;
  destination: Destination;
  port: number;
  protocol: Protocol;
}

/** true / false, or 'maybe' when the answer hangs on an address not known offline. */
export type Tri = boolean | 'maybe';

/** A rule of a policy: index into spec.ingress or spec.egress. */
export interface RuleRef {
  policy: string;
  rule: number;
}

/** The decision for one direction. */
export interface DirectionVerdict {
  /** False for ingress to an address outside the cluster: nothing to evaluate there. */
  applies: boolean;
  isolated: boolean;
  /** Policies that select the pod for this direction (and so isolate it). */
  isolatedBy: string[];
  allowed: Tri;
  allowedBy: RuleRef[];
  /** Rules that would allow it if an unknown address fell into their ipBlock. */
  maybeBy: RuleRef[];
}

/** The decision for a connection. */
export type ConnectionVerdict = 'allowed' | 'denied_egress' | 'denied_ingress' | 'unknown';

/** A decided connection. */
export interface ConnectionResult {
  connection: Connection;
  egress: DirectionVerdict;
  ingress: DirectionVerdict;
  verdict: ConnectionVerdict;
}

/** A pod or an address as seen by a peer matcher. */
type PeerSubject = { kind: 'pod'; pod: PodInfo } | { kind: 'address'; ip?: IpAddress };

function matchPeer(peer: CompiledPeer, policyNamespace: string, subject: PeerSubject, lookup: PolicyLookup): Tri {
  if (peer.kind === 'ipBlock') {
    const ip = subject.kind === 'pod' ? subject.pod.ip : subject.ip;
    if (!ip) {
      // Address not known offline (template pod, host name). A /0 block with no exceptions
      // matches any address of its family, which is how "anywhere" is written.
      return peer.cidr.prefix === 0 && peer.except.length === 0 ? true : 'maybe';
    }
    // IPBlock: "a particular CIDR ... except: CIDRs that should not be included within this rule".
    if (!cidrContains(peer.cidr, ip)) return false;
    return !peer.except.some((e) => cidrContains(e, ip));
  }
  // Pod/namespace selectors select pods only, never addresses outside the pod network.
  if (subject.kind !== 'pod') return false;
  const pod = subject.pod;
  // NetworkPolicyPeer: podSelector alone → "pods matching podSelector in the policy's own
  // namespace"; with namespaceSelector → pods matching podSelector in the selected namespaces.
  if (peer.namespaces === 'own') {
    if (pod.namespace !== policyNamespace) return false;
  } else if (!peer.namespaces.matchesAll && !peer.namespaces.matches(lookup.namespaceLabels(pod.namespace))) {
    return false;
  }
  return peer.pods.matchesAll || peer.pods.matches(pod.labels);
}

// NetworkPolicyPort: "port ... can either be a numerical or named port on a pod"; named ports
// resolve on the destination pod's containerPorts (for ingress the selected pod, for egress the
// peer). endPort: "the range of ports from port to endPort, inclusive". Protocol defaults to TCP.
function matchPort(p: CompiledPort, conn: Connection): boolean {
  if (p.protocol !== conn.protocol) return false;
  if (p.port === undefined) return true;
  if (typeof p.port === 'number') {
    return p.endPort === undefined ? conn.port === p.port : conn.port >= p.port && conn.port <= p.endPort;
  }
  if (conn.destination.kind !== 'pod') return false;
  return conn.destination.pod.ports.some((cp) => cp.name === p.port && cp.protocol === conn.protocol && cp.port === conn.port);
}

// A rule allows traffic that matches at least one peer AND at least one port; an absent or
// empty list matches everything on that axis.
function matchRule(rule: CompiledRule, policyNamespace: string, subject: PeerSubject, conn: Connection, lookup: PolicyLookup): Tri {
  if (rule.ports !== 'all' && !rule.ports.some((p) => matchPort(p, conn))) return false;
  if (rule.peers === 'all') return true;
  let result: Tri = false;
  for (const peer of rule.peers) {
    const m = matchPeer(peer, policyNamespace, subject, lookup);
    if (m === true) return true;
    if (m === 'maybe') result = 'maybe';
  }
  return result;
}

function decideDirection(
  policies: readonly CompiledPolicy[],
  selectedPod: PodInfo,
  direction: 'ingress' | 'egress',
  subject: PeerSubject,
  conn: Connection,
  lookup: PolicyLookup,
): DirectionVerdict {
  const out: DirectionVerdict = { applies: true, isolated: false, isolatedBy: [], allowed: true, allowedBy: [], maybeBy: [] };
  let definite = false;
  for (const policy of policies) {
    const rules = policy[direction];
    // A policy affects a direction only when its policyTypes include it (see policy.ts for the
    // defaulting), and only the pods its podSelector selects in its own namespace.
    if (rules === undefined) continue;
    if (!policy.podSelector.matchesAll && !policy.podSelector.matches(selectedPod.labels)) continue;
    out.isolated = true;
    out.isolatedBy.push(policy.key);
    rules.forEach((rule, index) => {
      const m = matchRule(rule, policy.namespace, subject, conn, lookup);
      if (m === true) {
        definite = true;
        out.allowedBy.push({ policy: policy.key, rule: index });
      } else if (m === 'maybe') out.maybeBy.push({ policy: policy.key, rule: index });
    });
  }
  // "By default, a pod is non-isolated for egress/ingress"; once isolated, only traffic that
  // some selecting policy allows is allowed: the union of all their rules.
  if (out.isolated) out.allowed = definite ? true : out.maybeBy.length > 0 ? 'maybe' : false;
  return out;
}

/** Egress at the source pod, decided by the policies of the source's namespace. */
export function evaluateEgress(lookup: PolicyLookup, conn: Connection): DirectionVerdict {
  const subject: PeerSubject = conn.destination.kind === 'pod'
    ? { kind: 'pod', pod: conn.destination.pod }
    : conn.destination.ip ? { kind: 'address', ip: conn.destination.ip } : { kind: 'address' };
  return decideDirection(lookup.policiesIn(conn.source.namespace), conn.source, 'egress', subject, conn, lookup);
}

/** Ingress at the destination pod; an address outside the cluster has no ingress to decide. */
export function evaluateIngress(lookup: PolicyLookup, conn: Connection): DirectionVerdict {
  if (conn.destination.kind !== 'pod') {
    return { applies: false, isolated: false, isolatedBy: [], allowed: true, allowedBy: [], maybeBy: [] };
  }
  const dst = conn.destination.pod;
  return decideDirection(lookup.policiesIn(dst.namespace), dst, 'ingress', { kind: 'pod', pod: conn.source }, conn, lookup);
}

/**
 * Decides a connection: "for a connection from a source pod to a destination pod to be allowed,
 * both the egress policy on the source pod and the ingress policy on the destination pod need to
 * allow the connection". Egress is reported first because packets leave the source first.
 */
export function evaluateConnection(lookup: PolicyLookup, conn: Connection): ConnectionResult {
  const egress = evaluateEgress(lookup, conn);
  const ingress = evaluateIngress(lookup, conn);
  let verdict: ConnectionVerdict;
  if (egress.allowed === false) verdict = 'denied_egress';
  else if (ingress.allowed === false) verdict = 'denied_ingress';
  else if (egress.allowed === 'maybe' || ingress.allowed === 'maybe') verdict = 'unknown';
  else verdict = 'allowed';
  return { connection: conn, egress, ingress, verdict };
}

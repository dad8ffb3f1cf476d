// Compiles a networking.k8s.io/v1 NetworkPolicy into matchers, once, with the API's defaulting
// and the validation rules that would make the API server reject it.
import { compileSelector, SELECT_ALL, type CompiledSelector } from './selector.js';
import { parseCidr, cidrWithin, type Cidr } from './cidr.js';
import { isRecord, readMeta, type KubeObject } from './objects.js';

/** Protocols a NetworkPolicyPort may name. */
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** One peer of a from/to list. */
export type CompiledPeer =
  | {
      kind: 'pods';
      /** 'own' = the policy's namespace (a podSelector without namespaceSelector). */
      namespaces: CompiledSelector | 'own';
      pods: CompiledSelector;
    }
  | { kind: 'ipBlock'; cidr: Cidr; except: Cidr[] };

/** One NetworkPolicyPort; `port` undefined matches every port of the protocol. */
export interface CompiledPort {
  protocol: Protocol;
  port?: number | string;
  endPort?: number;
}

/** One ingress or egress rule; 'all' stands for an absent or empty list. */
export interface CompiledRule {
  peers: CompiledPeer[] | 'all';
  ports: CompiledPort[] | 'all';
}

/** A compiled policy. `ingress`/`egress` are undefined when the policy does not affect that direction. */
export interface CompiledPolicy {
  /** `namespace/name`. */
  key: string;
  namespace: string;
  name: string;
  podSelector: CompiledSelector;
  ingress?: CompiledRule[];
  egress?: CompiledRule[];
  /** The object as given (suggestions and display reuse it). */
  raw: KubeObject;
}

/** A located compile problem; `path` is inside the object. */
export interface PolicyProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Compiles one NetworkPolicy. When problems are returned the API server would have rejected
 * the object, and the caller must not trust the compiled result.
 */
export function compilePolicy(obj: KubeObject, defaultNamespace: string): { policy?: CompiledPolicy; problems: PolicyProblem[] } {
  const problems: PolicyProblem[] = [];
  const meta = readMeta(obj);
  if (!meta.name) return { problems: [{ path: ['metadata', 'name'], message: 'NetworkPolicy needs metadata.name' }] };
  const namespace = meta.namespace ?? defaultNamespace;
  // An absent spec is the zero spec (the API server accepts it): an ingress deny-all of the namespace.
  const spec = obj.spec === undefined || obj.spec === null ? {} : isRecord(obj.spec) ? obj.spec : undefined;
  if (!spec) return { problems: [{ path: ['spec'], message: 'NetworkPolicy needs a spec mapping' }] };

  // spec.podSelector: `{}` selects every pod in the policy's namespace, and so does an absent one
  // (the API server never required it; NetworkPolicySpec documents it as optional).
  let podSelector: CompiledSelector = SELECT_ALL;
  if (spec.podSelector !== undefined && spec.podSelector !== null) {
    const c = compileSelector(spec.podSelector);
    podSelector = c.selector;
    for (const p of c.problems) problems.push({ path: ['spec', 'podSelector', ...p.path], message: p.message });
  }

  // policyTypes defaulting (pkg/apis/networking/v1 SetDefaults_NetworkPolicy): when empty,
  // Ingress always, plus Egress when spec.egress has at least one rule (`egress: []` does not count).
  const types = new Set<string>();
  if (spec.policyTypes !== undefined && spec.policyTypes !== null) {
    if (!Array.isArray(spec.policyTypes)) problems.push({ path: ['spec', 'policyTypes'], message: 'policyTypes must be a list' });
    // ValidateNetworkPolicySpec: at most as many entries as there are types.
    else if (spec.policyTypes.length > 2) problems.push({ path: ['spec', 'policyTypes'], message: 'policyTypes may not list more than 2 entries' });
    else spec.policyTypes.forEach((t: unknown, i: number) => {
      if (t === 'Ingress' || t === 'Egress') types.add(t);
      else problems.push({ path: ['spec', 'policyTypes', i], message: 'policyTypes entries must be Ingress or Egress' });
    });
  }
  if (types.size === 0) {
    types.add('Ingress');
    if (Array.isArray(spec.egress) && spec.egress.length > 0) types.add('Egress');
  }

  const policy: CompiledPolicy = { key: `${namespace}/${meta.name}`, namespace, name: meta.name, podSelector, raw: obj };
  // Both rule lists are validated whatever policyTypes says (the API server rejects the whole
  // policy), but only the listed directions take effect. A direction listed with no rules
  // (absent or `[]`) allows nothing: deny-all.
  const ingress = compileRules(spec.ingress, 'ingress', 'from', problems);
  const egress = compileRules(spec.egress, 'egress', 'to', problems);
  if (types.has('Ingress')) policy.ingress = ingress;
  if (types.has('Egress')) policy.egress = egress;
  return problems.length > 0 ? { problems } : { policy, problems };
}

function compileRules(raw: unknown, field: 'ingress' | 'egress', peerField: 'from' | 'to', problems: PolicyProblem[]): CompiledRule[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push({ path: ['spec', field], message: `spec.${field} must be a list of rules` });
    return [];
  }
  return raw.map((rule: unknown, i: number): CompiledRule => {
    const at = ['spec', field, i];
    // A rule `{}` (no from/to, no ports) allows all traffic in its direction.
    if (rule === null || rule === undefined) return { peers: 'all', ports: 'all' };
    if (!isRecord(rule)) {
      problems.push({ path: at, message: 'a rule must be a mapping' });
      return { peers: [], ports: [] };
    }
    return {
      peers: compilePeers(rule[peerField], [...at, peerField], problems),
      ports: compilePorts(rule.ports, [...at, 'ports'], problems),
    };
  });
}

// NetworkPolicyIngressRule.from / EgressRule.to: "If this field is empty or missing, this rule
// matches all sources/destinations"; items are ORed.
function compilePeers(raw: unknown, at: (string | number)[], problems: PolicyProblem[]): CompiledPeer[] | 'all' {
  if (raw === undefined || raw === null) return 'all';
  if (!Array.isArray(raw)) {
    problems.push({ path: at, message: 'must be a list of peers' });
    return [];
  }
  if (raw.length === 0) return 'all';
  const peers: CompiledPeer[] = [];
  raw.forEach((peer: unknown, i: number) => {
    const here = [...at, i];
    if (!isRecord(peer)) {
      problems.push({ path: here, message: 'a peer must be a mapping' });
      return;
    }
    const hasPods = peer.podSelector !== undefined && peer.podSelector !== null;
    const hasNs = peer.namespaceSelector !== undefined && peer.namespaceSelector !== null;
    const hasIp = peer.ipBlock !== undefined && peer.ipBlock !== null;
    if (hasIp && (hasPods || hasNs)) {
      problems.push({ path: here, message: 'ipBlock cannot be combined with podSelector or namespaceSelector in one peer' });
      return;
    }
    if (hasIp) {
      const block = compileIpBlock(peer.ipBlock, [...here, 'ipBlock'], problems);
      if (block) peers.push(block);
      return;
    }
    if (!hasPods && !hasNs) {
      problems.push({ path: here, message: 'a peer needs podSelector, namespaceSelector or ipBlock' });
      return;
    }
    // NetworkPolicyPeer: namespaceSelector + podSelector in ONE peer are ANDed; a podSelector
    // alone means the policy's own namespace; a namespaceSelector alone means all pods there.
    let pods: CompiledSelector = SELECT_ALL;
    let namespaces: CompiledSelector | 'own' = 'own';
    if (hasPods) {
      const c = compileSelector(peer.podSelector);
      pods = c.selector;
      for (const p of c.problems) problems.push({ path: [...here, 'podSelector', ...p.path], message: p.message });
    }
    if (hasNs) {
      const c = compileSelector(peer.namespaceSelector);
      namespaces = c.selector;
      for (const p of c.problems) problems.push({ path: [...here, 'namespaceSelector', ...p.path], message: p.message });
    }
    peers.push({ kind: 'pods', namespaces, pods });
  });
  return peers;
}

function compileIpBlock(raw: unknown, at: (string | number)[], problems: PolicyProblem[]): CompiledPeer | undefined {
  if (!isRecord(raw) || typeof raw.cidr !== 'string') {
    problems.push({ path: at, message: 'ipBlock needs a cidr string' });
    return undefined;
  }
  const cidr = parseCidr(raw.cidr);
  if (!cidr) {
    problems.push({ path: [...at, 'cidr'], message: `"${raw.cidr}" is not a valid CIDR` });
    return undefined;
  }
  const except: Cidr[] = [];
  if (raw.except !== undefined && raw.except !== null) {
    if (!Array.isArray(raw.except)) problems.push({ path: [...at, 'except'], message: 'except must be a list of CIDRs' });
    else raw.except.forEach((e: unknown, i: number) => {
      const c = typeof e === 'string' ? parseCidr(e) : undefined;
      // IPBlock.except: "Except values will be rejected if they are outside the cidr range".
      if (!c) problems.push({ path: [...at, 'except', i], message: `"${String(e)}" is not a valid CIDR` });
      else if (!cidrWithin(c, cidr) || c.prefix === cidr.prefix) {
        problems.push({ path: [...at, 'except', i], message: `${e} must be a strict subset of ${raw.cidr}` });
      } else except.push(c);
    });
  }
  return { kind: 'ipBlock', cidr, except };
}

// IANA_SVC_NAME (validation.IsValidPortName): at most 15 of a-z, 0-9 and '-', at least one
// letter, no leading, trailing or doubled '-'.
function isPortName(name: string): boolean {
  return name.length <= 15 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) && /[a-z]/.test(name) && !name.includes('--');
}

// NetworkPolicyPort: protocol defaults to TCP; port may be a number or a named port; endPort
// needs a numeric port and must not be below it. An empty or missing list matches all ports.
function compilePorts(raw: unknown, at: (string | number)[], problems: PolicyProblem[]): CompiledPort[] | 'all' {
  if (raw === undefined || raw === null) return 'all';
  if (!Array.isArray(raw)) {
    problems.push({ path: at, message: 'ports must be a list' });
    return [];
  }
  if (raw.length === 0) return 'all';
  const ports: CompiledPort[] = [];
  raw.forEach((p: unknown, i: number) => {
    const here = [...at, i];
    if (!isRecord(p)) {
      problems.push({ path: here, message: 'a port must be a mapping' });
      return;
    }
    const protocol = p.protocol === undefined || p.protocol === null ? 'TCP' : p.protocol;
    if (typeof protocol !== 'string' || !(PROTOCOLS as readonly string[]).includes(protocol)) {
      problems.push({ path: [...here, 'protocol'], message: 'protocol must be TCP, UDP or SCTP' });
      return;
    }
    const out: CompiledPort = { protocol: protocol as Protocol };
    if (p.port !== undefined && p.port !== null) {
      if (typeof p.port === 'number' && Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535) out.port = p.port;
      else if (typeof p.port === 'string' && /^\d+$/.test(p.port)) {
        problems.push({ path: [...here, 'port'], message: `port "${p.port}" is a quoted number; write it unquoted` });
        return;
      } else if (typeof p.port === 'string' && isPortName(p.port)) out.port = p.port;
      else {
        problems.push({ path: [...here, 'port'], message: 'port must be 1-65535 or a port name (IANA_SVC_NAME)' });
        return;
      }
    }
    if (p.endPort !== undefined && p.endPort !== null) {
      if (typeof out.port !== 'number') {
        problems.push({ path: [...here, 'endPort'], message: 'endPort needs a numeric port' });
        return;
      }
      if (typeof p.endPort !== 'number' || !Number.isInteger(p.endPort) || p.endPort < out.port || p.endPort > 65535) {
        problems.push({ path: [...here, 'endPort'], message: 'endPort must be a port number not below port' });
        return;
      }
      out.endPort = p.endPort;
    }
    ports.push(out);
  });
  return ports;
}

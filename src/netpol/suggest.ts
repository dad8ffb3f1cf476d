// Builds the minimal allow policies that would open a denied path, named in the
// `allow-<component>-<port>-<direction>` style, and renders them as NetworkPolicy YAML.
import type { PathSpec } from '../catalog/types.js';
import { hostCidr } from './cidr.js';
import type { PodInfo } from './decode.js';
import type { ConnectionResult } from './evaluate.js';
import { NAMESPACE_NAME_LABEL } from './model.js';
import type { KubeObject } from './objects.js';
import { stableLabels, type ResolvedPath } from './resolve.js';

/** The suggested policies plus remarks a reader must see (e.g. a CIDR to narrow). */
export interface Suggestion {
  policies: KubeObject[];
  remarks: string[];
}

function dnsLabel(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
}

/**
 * `allow-<source>-to-<destination>[-<port>]-<direction>`, a valid object name of at most 63
 * characters. The port keeps apart the suggestions of two paths between the same source and
 * destination on different ports (vault's 8200 and 8201): with one name, applying the second
 * replaced the first and broke its path again. Two paths on the same port get the same policy.
 */
export function suggestionName(sourceName: string, destinationName: string, direction: 'ingress' | 'egress', port?: number): string {
  const component = `${dnsLabel(sourceName)}-to-${dnsLabel(destinationName)}`;
  const suffix = `${port === undefined ? '' : `-${port}`}-${direction}`;
  const head = `allow-${component}`.slice(0, 63 - suffix.length).replace(/-+$/, '');
  return `${head}${suffix}`;
}

function podSelectorOf(labels: Record<string, string>): Record<string, unknown> {
  return Object.keys(labels).length > 0 ? { matchLabels: { ...labels } } : {};
}

function portsOf(entries: { protocol: string; port: number | string }[]): Record<string, unknown>[] {
  const seen = new Set<string>();
  const out: Record<string, unknown>[] = [];
  for (const e of entries) {
    const key = `${e.protocol}/${e.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ protocol: e.protocol, port: e.port });
  }
  return out;
}

/**
 * Suggests policies for the denied directions of a path: an egress allow in the source
 * namespace when the source's egress denies, an ingress allow in the destination namespace when
 * the destination's ingress denies (a pair when both do). Undefined when nothing is denied.
 */
export function suggestPolicies(path: PathSpec, resolved: ResolvedPath, results: readonly ConnectionResult[]): Suggestion | undefined {
  const deniedEgress = results.filter((r) => r.egress.allowed === false);
  const deniedIngress = results.filter((r) => r.ingress.allowed === false);
  if (deniedEgress.length === 0 && deniedIngress.length === 0) return undefined;
  const policies: KubeObject[] = [];
  const remarks: string[] = [];
  const src = path.source;
  const dest = resolved.destination;

  if (deniedEgress.length > 0) {
    const peers: Record<string, unknown>[] = [];
    const podsByNs = new Map<string, PodInfo[]>();
    for (const r of deniedEgress) {
      const d = r.connection.destination;
      if (d.kind === 'pod') {
        const list = podsByNs.get(d.pod.namespace) ?? [];
        list.push(d.pod);
        podsByNs.set(d.pod.namespace, list);
      } else if (d.ip) {
        const cidr = hostCidr(d.host);
        if (!peers.some((p) => (p.ipBlock as { cidr: string } | undefined)?.cidr === cidr)) peers.push({ ipBlock: { cidr } });
      } else if (!peers.some((p) => p.ipBlock !== undefined)) {
        peers.push({ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } });
        remarks.push(`${d.host} is a host name whose addresses are unknown offline: narrow the ipBlock to its address ranges`);
      }
    }
    for (const [ns, pods] of podsByNs) {
      const labels = ns === dest.namespace && dest.selectorLabels ? dest.selectorLabels : stableLabels(pods);
      peers.push({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } }, podSelector: podSelectorOf(labels) });
    }
    policies.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: suggestionName(src.name, dest.name, 'egress', deniedEgress[0]!.connection.port), namespace: src.namespace },
      spec: {
        podSelector: podSelectorOf(src.labels),
        policyTypes: ['Egress'],
        // Egress ports are the destination pod's ports: Service DNAT happens before policy.
        egress: [{ to: peers, ports: portsOf(deniedEgress.map((r) => ({ protocol: r.connection.protocol, port: r.connection.port }))) }],
      },
    });
  }

  if (deniedIngress.length > 0) {
    const byNs = new Map<string, ConnectionResult[]>();
    for (const r of deniedIngress) {
      if (r.connection.destination.kind !== 'pod') continue;
      const ns = r.connection.destination.pod.namespace;
      byNs.set(ns, [...(byNs.get(ns) ?? []), r]);
    }
    const policyPort = new Map<string, number | string>();
    for (const t of resolved.targets) {
      if (t.destination.kind === 'pod') policyPort.set(`${t.destination.pod.namespace}/${t.destination.pod.name}/${t.protocol}/${t.port}`, t.policyPort);
    }
    for (const [ns, rs] of byNs) {
      const pods = rs.map((r) => (r.connection.destination as { pod: PodInfo }).pod);
      const labels = ns === dest.namespace && dest.selectorLabels ? dest.selectorLabels : stableLabels(pods);
      if (Object.keys(labels).length === 0) remarks.push(`the destination pods in ${ns} share no stable label: the ingress policy selects every pod there`);
      const peer: Record<string, unknown> = { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: src.namespace } } };
      if (Object.keys(src.labels).length > 0) peer.podSelector = { matchLabels: { ...src.labels } };
      policies.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: suggestionName(src.name, dest.name, 'ingress', rs[0]!.connection.port), namespace: ns },
        spec: {
          podSelector: podSelectorOf(labels),
          policyTypes: ['Ingress'],
          ingress: [{
            from: [peer],
            ports: portsOf(rs.map((r) => {
              const pod = (r.connection.destination as { pod: PodInfo }).pod;
              const named = policyPort.get(`${pod.namespace}/${pod.name}/${r.connection.protocol}/${r.connection.port}`);
              return { protocol: r.connection.protocol, port: named ?? r.connection.port };
            })),
          }],
        },
      });
    }
  }
  return { policies, remarks };
}

// A plain scalar is safe when neither YAML 1.2 nor 1.1 (sigs.k8s.io/yaml) can read it as
// anything but this string: no booleans, nulls, numbers, timestamps or base prefixes.
const PLAIN = /^[A-Za-z0-9_][A-Za-z0-9._/-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
const NUMBERISH = /^([-+]?[0-9._]+([eE][-+]?[0-9]+)?|0[xob].*|\d{4}-\d\d?-\d\d?.*)$/i;

function scalar(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = String(v);
  return PLAIN.test(s) && !RESERVED.test(s) && !NUMBERISH.test(s) ? s : JSON.stringify(s);
}

// A small block-style emitter for the plain objects suggestions are made of (maps, lists,
// strings, numbers): the yaml library's general stringify costs more than evaluation itself.
function emit(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item !== null && typeof item === 'object' && Object.keys(item).length > 0) {
        const lines: string[] = [];
        emit(item, `${indent}  `, lines);
        out.push(`${indent}- ${lines[0]!.slice(indent.length + 2)}`, ...lines.slice(1));
      } else out.push(`${indent}- ${typeof item === 'object' ? (Array.isArray(item) ? '[]' : '{}') : scalar(item)}`);
    }
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0)) {
      out.push(`${indent}${scalar(k)}:`);
      emit(v, Array.isArray(v) ? `${indent}  ` : `${indent}  `, out);
    } else out.push(`${indent}${scalar(k)}: ${typeof v === 'object' && v !== null ? (Array.isArray(v) ? '[]' : '{}') : scalar(v)}`);
  }
}

/** Renders policies as a multi-document YAML string. */
export function renderPolicies(policies: readonly KubeObject[]): string {
  return policies.map((p) => {
    const lines: string[] = [];
    emit(p, '', lines);
    return `${lines.join('\n')}\n`;
  }).join('---\n');
}

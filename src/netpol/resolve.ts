// Turns a catalog path into connections to evaluate: the source identity becomes pods, the
// target (Service name, pod IP, address, or the cluster DNS for dns checks) becomes destination
// pods and ports. What cannot be resolved comes back as a reason, never as a guess.
import type { PathSpec } from '../catalog/types.js';
import { parseIp } from './cidr.js';
import type { PodInfo, ServiceInfo } from './decode.js';
import type { Destination } from './evaluate.js';
import type { ClusterModel } from './model.js';
import type { Protocol } from './policy.js';
import { describeSelector, selectorFromLabels, type Labels } from './selector.js';

/** Where the cluster DNS runs (default: kube-system pods labelled k8s-app=kube-dns, port 53). */
export interface ClusterDnsOptions {
  namespace: string;
  labels: Record<string, string>;
  port: number;
}

/** Options of resolution. */
export interface ResolveOptions {
  clusterDomain: string;
  clusterDns: ClusterDnsOptions;
}

/** One destination endpoint with the port as seen on the pod and as a policy would name it. */
export interface Target {
  destination: Destination;
  port: number;
  protocol: Protocol;
  /** The port a suggested policy should name: a Service's named targetPort, else the number. */
  policyPort: number | string;
}

/** What the destination is, for text and suggestions. */
export interface DestinationInfo {
  kind: 'service' | 'pod' | 'address' | 'dns';
  namespace?: string;
  /** Short name for suggestion names: Service name, pod name, `kube-dns`, host. */
  name: string;
  /** Labels that select the destination pods (a suggestion's podSelector). */
  selectorLabels?: Record<string, string>;
  display: string;
}

/** A resolved path. `unresolved` set means the verdict is `unknown` for that reason. */
export interface ResolvedPath {
  sources: PodInfo[];
  targets: Target[];
  destination: DestinationInfo;
  notes: string[];
  unresolved?: string;
  /** Namespaces read while resolving (the incremental index keys on them). */
  namespaces: Set<string>;
  /** The target is an IP: any pod or Service change anywhere may re-point it. */
  dependsOnAddresses: boolean;
}

// Labels a controller adds per pod or per revision: useless (or harmful) in a suggested selector.
const VOLATILE_LABELS = new Set([
  'pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index', 'job-name', 'controller-uid', 'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/controller-uid', 'pod-template-generation',
]);

/** Labels common to all pods, without per-pod ones. */
export function stableLabels(pods: readonly PodInfo[]): Record<string, string> {
  const first = pods[0];
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first.labels)) {
    if (!VOLATILE_LABELS.has(k) && pods.every((p) => p.labels[k] === v)) out[k] = v;
  }
  return out;
}

/** The pods that stand for a source identity; one synthetic pod when the manifests have none. */
export function resolveSources(model: ClusterModel, path: PathSpec): PodInfo[] {
  const { namespace, labels, name } = path.source;
  const selector = selectorFromLabels(labels);
  const pods = model.podsIn(namespace).filter((p) => selector.matches(p.labels));
  if (pods.length > 0) return pods;
  return [{
    namespace, name: `${name} (agent)`, labels, ports: [], origin: 'synthetic',
    display: `${namespace}/${describeLabels(labels)} (no such pod in the manifests; evaluated as the agent)`,
  }];
}

function clusterDnsPod(dns: ClusterDnsOptions): PodInfo {
  return {
    namespace: dns.namespace, name: 'cluster-dns (assumed)', labels: dns.labels, origin: 'synthetic',
    display: `${dns.namespace}/${describeLabels(dns.labels)} (cluster DNS, not in the manifests)`,
    // CoreDNS's usual container ports, so named-port rules (`port: dns`) resolve as in a cluster.
    ports: [{ name: 'dns', port: dns.port, protocol: 'UDP' }, { name: 'dns-tcp', port: dns.port, protocol: 'TCP' }],
  };
}

/** Resolves a path to source pods and destination targets. */
export function resolvePath(model: ClusterModel, path: PathSpec, options: ResolveOptions): ResolvedPath {
  const sources = resolveSources(model, path);
  const out: ResolvedPath = {
    sources, targets: [], notes: [], namespaces: new Set([path.source.namespace]), dependsOnAddresses: false,
    destination: { kind: 'address', name: path.host, display: path.target },
  };
  if (path.check === 'dns') {
    if (path.dns?.server) {
      resolveHost(model, path, path.dns.server.host, path.dns.server.port, ['UDP', 'TCP'], options, out);
      out.destination.kind = 'dns';
      return out;
    }
    const dns = options.clusterDns;
    out.namespaces.add(dns.namespace);
    const selector = selectorFromLabels(dns.labels);
    let pods: PodInfo[] = model.podsIn(dns.namespace).filter((p) => selector.matches(p.labels));
    if (pods.length === 0) pods = [clusterDnsPod(dns)];
    out.destination = {
      kind: 'dns', namespace: dns.namespace, name: 'kube-dns', selectorLabels: { ...dns.labels },
      display: `cluster DNS ${dns.namespace}/${describeLabels(dns.labels)}`,
    };
    // DNS uses UDP and falls back to TCP for large answers: both must pass.
    for (const pod of pods) {
      for (const protocol of ['UDP', 'TCP'] as const) {
        out.targets.push({ destination: { kind: 'pod', pod }, port: dns.port, protocol, policyPort: dns.port });
      }
    }
    return out;
  }
  resolveHost(model, path, path.host, path.port, ['TCP'], options, out);
  return out;
}

function resolveHost(
  model: ClusterModel, path: PathSpec, rawHost: string, port: number, protocols: readonly Protocol[],
  options: ResolveOptions, out: ResolvedPath,
): void {
  // A trailing dot makes the name absolute: looked up as written, without the search path.
  const absolute = rawHost.endsWith('.');
  const host = rawHost.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  const ip = parseIp(host);
  if (ip) {
    out.dependsOnAddresses = true;
    const pod = model.podByIp(host);
    if (pod) {
      out.namespaces.add(pod.namespace);
      out.destination = { kind: 'pod', namespace: pod.namespace, name: pod.name, selectorLabels: stableLabels([pod]), display: `pod ${pod.display} (${host})` };
      for (const protocol of protocols) out.targets.push({ destination: { kind: 'pod', pod }, port, protocol, policyPort: port });
      return;
    }
    const svc = model.serviceByClusterIp(host);
    if (svc) {
      resolveService(model, svc, port, protocols, undefined, out);
      return;
    }
    out.destination = { kind: 'address', name: host, display: `address ${host} (outside the pod network: egress only)` };
    for (const protocol of protocols) out.targets.push({ destination: { kind: 'address', host, ip }, port, protocol, policyPort: port });
    return;
  }
  const dotted = host.split('.');
  // `name.ns` is a Service only once namespace `ns` is known: re-resolve when it appears.
  if (dotted.length === 2) out.namespaces.add(dotted[1]!);
  const svcRef = serviceName(model, path, host, options.clusterDomain, absolute);
  if (!svcRef) {
    out.destination = { kind: 'address', name: host, display: `host ${host} (outside the cluster; its addresses are unknown offline)` };
    for (const protocol of protocols) out.targets.push({ destination: { kind: 'address', host }, port, protocol, policyPort: port });
    return;
  }
  out.namespaces.add(svcRef.namespace);
  const svc = model.service(svcRef.namespace, svcRef.name);
  out.destination = { kind: 'service', namespace: svcRef.namespace, name: svcRef.name, display: `Service ${svcRef.namespace}/${svcRef.name}` };
  if (!svc) {
    const ambiguous = !host.includes('.svc') && host.includes('.');
    out.unresolved = `Service ${svcRef.namespace}/${svcRef.name} is not in the manifests${ambiguous ? ` (for a host outside the cluster write "${host}." with a trailing dot)` : ''}`;
    return;
  }
  resolveService(model, svc, port, protocols, svcRef.podName, out);
}

function serviceName(model: ClusterModel, path: PathSpec, host: string, clusterDomain: string, absolute: boolean): { namespace: string; name: string; podName?: string } | undefined {
  let rest: string[] | undefined;
  // An absolute name is a Service only in its fully qualified form (`name.ns.svc.<domain>.`).
  for (const suffix of absolute ? [`.svc.${clusterDomain}`] : [`.svc.${clusterDomain}`, '.svc']) {
    if (host.endsWith(suffix)) {
      rest = host.slice(0, -suffix.length).split('.');
      break;
    }
  }
  if (rest?.length === 2) return { name: rest[0]!, namespace: rest[1]! };
  // <hostname>.<service>.<namespace>.svc: one pod of a headless Service (StatefulSet).
  if (rest?.length === 3) return { podName: rest[0]!, name: rest[1]!, namespace: rest[2]! };
  if (rest || absolute) return undefined;
  const labels = host.split('.');
  if (path.toNamespace && labels.length <= 2) return { name: labels[0]!, namespace: path.toNamespace };
  if (labels.length === 2 && model.knowsNamespace(labels[1]!)) return { name: labels[0]!, namespace: labels[1]! };
  // A bare name resolves through the search path of the source's namespace first.
  if (labels.length === 1) return { name: labels[0]!, namespace: path.source.namespace };
  return undefined;
}

function resolveService(
  model: ClusterModel, svc: ServiceInfo, port: number, protocols: readonly Protocol[], podName: string | undefined, out: ResolvedPath,
): void {
  out.namespaces.add(svc.namespace);
  out.destination = {
    kind: 'service', namespace: svc.namespace, name: svc.name, display: `Service ${svc.namespace}/${svc.name}`,
    ...(svc.selectorLabels ? { selectorLabels: { ...svc.selectorLabels } } : {}),
  };
  if (svc.externalName) {
    out.destination = { kind: 'address', name: svc.externalName, display: `ExternalName Service ${svc.namespace}/${svc.name} → ${svc.externalName}` };
    for (const protocol of protocols) out.targets.push({ destination: { kind: 'address', host: svc.externalName }, port, protocol, policyPort: port });
    return;
  }
  for (const protocol of protocols) {
    const sp = svc.ports.find((p) => p.port === port && p.protocol === protocol);
    if (!sp) {
      out.unresolved = `Service ${svc.namespace}/${svc.name} has no ${protocol} port ${port} (ports: ${svc.ports.map((p) => `${p.protocol} ${p.port}`).join(', ') || 'none'})`;
      out.targets = [];
      return;
    }
    if (svc.selector) {
      let pods = model.podsIn(svc.namespace).filter((p) => svc.selector!.matches(p.labels));
      if (podName && pods.some((p) => p.name === podName)) pods = pods.filter((p) => p.name === podName);
      for (const pod of pods) {
        const tp = sp.targetPort;
        const podPort = typeof tp === 'number' ? tp : pod.ports.find((cp) => cp.name === tp && cp.protocol === protocol)?.port;
        if (podPort === undefined) {
          out.notes.push(`${pod.display} declares no ${protocol} container port named "${String(tp)}" (targetPort of ${svc.name}); it receives no traffic`);
          continue;
        }
        out.targets.push({ destination: { kind: 'pod', pod }, port: podPort, protocol, policyPort: tp });
      }
      if (!svc.selectorLabels || Object.keys(svc.selectorLabels).length === 0) delete out.destination.selectorLabels;
    } else {
      // A Service without selector: endpoints come from EndpointSlices written by hand.
      out.dependsOnAddresses = true;
      const podsSeen: PodInfo[] = [];
      for (const slice of model.endpointSlicesOf(svc.namespace, svc.name)) {
        const slicePort = slice.ports.find((p) => (p.name ?? '') === (sp.name ?? '') && p.protocol === protocol);
        if (!slicePort) continue;
        for (const address of slice.addresses) {
          const pod = model.podByIp(address);
          if (pod) podsSeen.push(pod);
          const destination: Destination = pod ? { kind: 'pod', pod } : { kind: 'address', host: address, ...(parseIp(address) ? { ip: parseIp(address)! } : {}) };
          out.targets.push({ destination, port: slicePort.port, protocol, policyPort: slicePort.port });
        }
      }
      if (podsSeen.length > 0) out.destination.selectorLabels = stableLabels(podsSeen);
    }
  }
  if (out.targets.length === 0) {
    out.unresolved = `Service ${svc.namespace}/${svc.name} has no endpoints in the manifests (a probe would see \`refused\`)`;
  }
}

/** Labels of a pod list as a selector description, for notes. */
export function describeLabels(labels: Labels): string {
  const text = describeSelector({ matchLabels: { ...labels } });
  return text === '{}' ? text : `{${text}}`;
}

// Decodes the non-policy objects the explainer reads (Pods, workload templates, Services,
// EndpointSlices) into the small records the model keeps. Problems come back as data.
import { parseIp, type IpAddress } from './cidr.js';
import { isRecord, readMeta, type KubeObject } from './objects.js';
import { PROTOCOLS, type Protocol } from './policy.js';
import { compileSelector, type CompiledSelector, type Labels } from './selector.js';

/** A declared container port. */
export interface ContainerPort {
  name?: string;
  port: number;
  protocol: Protocol;
}

/** A pod as the explainer sees it: a real Pod, or a workload template standing for its pods. */
export interface PodInfo {
  namespace: string;
  /** Pod name, or `<Kind>/<name>` for a template. */
  name: string;
  labels: Labels;
  ip?: IpAddress;
  ipText?: string;
  ports: ContainerPort[];
  origin: 'pod' | 'template' | 'synthetic';
  /** For display: `vault/vault-0`, `vault/vault (StatefulSet template)`. */
  display: string;
}

/** A Service port. `targetPort` is a number or a container port name. */
export interface ServicePort {
  name?: string;
  port: number;
  protocol: Protocol;
  targetPort: number | string;
}

/** A Service. `selector` undefined means endpoints are managed by hand (EndpointSlices). */
export interface ServiceInfo {
  namespace: string;
  name: string;
  type: string;
  selector?: CompiledSelector;
  selectorLabels?: Record<string, string>;
  ports: ServicePort[];
  clusterIPs: string[];
  externalName?: string;
}

/** An EndpointSlice reduced to what resolution needs. */
export interface EndpointSliceInfo {
  namespace: string;
  name: string;
  serviceName: string;
  addresses: string[];
  ports: { name?: string; port: number; protocol: Protocol }[];
}

/** A decoding problem at `path` inside the object. */
export interface DecodeProblem {
  path: (string | number)[];
  message: string;
}

function protocolOf(v: unknown): Protocol | undefined {
  if (v === undefined || v === null) return 'TCP';
  return typeof v === 'string' && (PROTOCOLS as readonly string[]).includes(v) ? (v as Protocol) : undefined;
}

function readContainerPorts(podSpec: Record<string, unknown>, at: (string | number)[], problems: DecodeProblem[]): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const field of ['containers', 'initContainers'] as const) {
    const list = podSpec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c: unknown, ci: number) => {
      if (!isRecord(c) || !Array.isArray(c.ports)) return;
      // Of the init containers only sidecars (restartPolicy: Always) keep running and serve ports;
      // Service targetPort names resolve on them too (FindPort), never on plain init containers.
      if (field === 'initContainers' && c.restartPolicy !== 'Always') return;
      c.ports.forEach((p: unknown, pi: number) => {
        const here = [...at, field, ci, 'ports', pi];
        const protocol = isRecord(p) ? protocolOf(p.protocol) : undefined;
        if (!isRecord(p) || typeof p.containerPort !== 'number' || !protocol) {
          problems.push({ path: here, message: 'a container port needs a numeric containerPort and protocol TCP, UDP or SCTP' });
          return;
        }
        const port: ContainerPort = { port: p.containerPort, protocol };
        if (typeof p.name === 'string') port.name = p.name;
        out.push(port);
      });
    });
  }
  return out;
}

/** Decodes a Pod. */
export function decodePod(obj: KubeObject, defaultNamespace: string): { pod?: PodInfo; problems: DecodeProblem[] } {
  const problems: DecodeProblem[] = [];
  const meta = readMeta(obj);
  if (meta.labelProblem) problems.push({ path: ['metadata', 'labels'], message: meta.labelProblem });
  if (!meta.name) return { problems: [...problems, { path: ['metadata', 'name'], message: 'Pod needs metadata.name' }] };
  const namespace = meta.namespace ?? defaultNamespace;
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const pod: PodInfo = {
    namespace, name: meta.name, labels: meta.labels, origin: 'pod', display: `${namespace}/${meta.name}`,
    ports: readContainerPorts(spec, ['spec'], problems),
  };
  const status = isRecord(obj.status) ? obj.status : {};
  if (typeof status.podIP === 'string' && status.podIP !== '') {
    const ip = parseIp(status.podIP);
    if (ip) {
      pod.ip = ip;
      pod.ipText = status.podIP;
    } else problems.push({ path: ['status', 'podIP'], message: `"${status.podIP}" is not an IP address` });
  }
  return { pod, problems };
}

/** Decodes a workload's pod template into one template pod (no IP). */
export function decodeWorkload(obj: KubeObject, defaultNamespace: string): { pod?: PodInfo; problems: DecodeProblem[] } {
  const meta = readMeta(obj);
  const kind = String(obj.kind);
  if (!meta.name) return { problems: [{ path: ['metadata', 'name'], message: `${kind} needs metadata.name` }] };
  const namespace = meta.namespace ?? defaultNamespace;
  const spec = isRecord(obj.spec) ? obj.spec : {};
  let templatePath: string[] = ['spec', 'template'];
  let template = spec.template;
  if (kind === 'CronJob') {
    const jobSpec = isRecord(spec.jobTemplate) && isRecord(spec.jobTemplate.spec) ? spec.jobTemplate.spec : {};
    template = jobSpec.template;
    templatePath = ['spec', 'jobTemplate', 'spec', 'template'];
  }
  if (!isRecord(template)) return { problems: [{ path: templatePath, message: `${kind} needs a pod template` }] };
  const problems: DecodeProblem[] = [];
  const tmeta = readMeta({ metadata: template.metadata });
  if (tmeta.labelProblem) problems.push({ path: [...templatePath, 'metadata', 'labels'], message: tmeta.labelProblem });
  const podSpec = isRecord(template.spec) ? template.spec : {};
  const pod: PodInfo = {
    namespace, name: `${kind}/${meta.name}`, labels: tmeta.labels, origin: 'template',
    display: `${namespace}/${meta.name} (${kind} template)`,
    ports: readContainerPorts(podSpec, [...templatePath, 'spec'], problems),
  };
  return { pod, problems };
}

/** Decodes a Service. */
export function decodeService(obj: KubeObject, defaultNamespace: string): { service?: ServiceInfo; problems: DecodeProblem[] } {
  const meta = readMeta(obj);
  if (!meta.name) return { problems: [{ path: ['metadata', 'name'], message: 'Service needs metadata.name' }] };
  const problems: DecodeProblem[] = [];
  const namespace = meta.namespace ?? defaultNamespace;
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const service: ServiceInfo = {
    namespace, name: meta.name, type: typeof spec.type === 'string' ? spec.type : 'ClusterIP', ports: [], clusterIPs: [],
  };
  if (isRecord(spec.selector) && Object.keys(spec.selector).length > 0) {
    // A Service selector is a plain equality map (not a LabelSelector).
    const c = compileSelector({ matchLabels: spec.selector });
    if (c.problems.length > 0) problems.push({ path: ['spec', 'selector'], message: 'selector values must be strings' });
    else {
      service.selector = c.selector;
      service.selectorLabels = { ...(c.selector.source.matchLabels ?? {}) };
    }
  }
  if (Array.isArray(spec.ports)) {
    spec.ports.forEach((p: unknown, i: number) => {
      const protocol = isRecord(p) ? protocolOf(p.protocol) : undefined;
      if (!isRecord(p) || typeof p.port !== 'number' || !protocol) {
        problems.push({ path: ['spec', 'ports', i], message: 'a Service port needs a numeric port and protocol TCP, UDP or SCTP' });
        return;
      }
      const tp = p.targetPort;
      // ServicePort.targetPort: number or name of a container port; defaults to `port`.
      const targetPort = typeof tp === 'number' ? tp : typeof tp === 'string' && tp !== '' ? (/^\d+$/.test(tp) ? Number(tp) : tp) : p.port;
      const port: ServicePort = { port: p.port, protocol, targetPort };
      if (typeof p.name === 'string') port.name = p.name;
      service.ports.push(port);
    });
  }
  for (const ip of [spec.clusterIP, ...(Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [])]) {
    if (typeof ip === 'string' && parseIp(ip) && !service.clusterIPs.includes(ip)) service.clusterIPs.push(ip);
  }
  if (service.type === 'ExternalName' && typeof spec.externalName === 'string') service.externalName = spec.externalName;
  return { service, problems };
}

/** Decodes a discovery.k8s.io/v1 EndpointSlice. */
export function decodeEndpointSlice(obj: KubeObject, defaultNamespace: string): { slice?: EndpointSliceInfo; problems: DecodeProblem[] } {
  const meta = readMeta(obj);
  const serviceName = meta.labels['kubernetes.io/service-name'];
  if (!meta.name) return { problems: [{ path: ['metadata', 'name'], message: 'EndpointSlice needs metadata.name' }] };
  if (!serviceName) return { problems: [{ path: ['metadata', 'labels'], message: 'EndpointSlice without a kubernetes.io/service-name label belongs to no Service' }] };
  const slice: EndpointSliceInfo = { namespace: meta.namespace ?? defaultNamespace, name: meta.name, serviceName, addresses: [], ports: [] };
  if (Array.isArray(obj.endpoints)) {
    for (const e of obj.endpoints) {
      if (!isRecord(e) || !Array.isArray(e.addresses)) continue;
      // A not-ready endpoint receives no traffic through the Service.
      if (isRecord(e.conditions) && e.conditions.ready === false) continue;
      for (const a of e.addresses) if (typeof a === 'string') slice.addresses.push(a);
    }
  }
  if (Array.isArray(obj.ports)) {
    for (const p of obj.ports) {
      const protocol = isRecord(p) ? protocolOf(p.protocol) : undefined;
      if (!isRecord(p) || typeof p.port !== 'number' || !protocol) continue;
      const port: EndpointSliceInfo['ports'][number] = { port: p.port, protocol };
      if (typeof p.name === 'string' && p.name !== '') port.name = p.name;
      slice.ports.push(port);
    }
  }
  return { slice, problems: [] };
}

// Small builders of Kubernetes objects for tests against the fake API server.
import type { FakeObject } from './fake-apiserver.js';

type Labels = Record<string, string>;

export function namespace(name: string, labels: Labels = {}): FakeObject {
  return { kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } };
}

export function pod(ns: string, name: string, labels: Labels, ip: string, ports: number[] = []): FakeObject {
  return {
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { containers: [{ name: 'main', image: 'example', ports: ports.map((containerPort) => ({ containerPort, protocol: 'TCP' })) }] },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
  };
}

export function service(ns: string, name: string, selector: Labels, port: number, targetPort: number = port): FakeObject {
  return {
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: { selector, ports: [{ name: `p${port}`, port, targetPort, protocol: 'TCP' }], clusterIP: '10.96.0.10', type: 'ClusterIP' },
  };
}

/** An EndpointSlice of Service `svc` with one endpoint per (ip, ready) pair. */
export function endpointSlice(ns: string, svc: string, port: number, endpoints: Array<{ ip: string; ready: boolean }>, suffix = 'a'): FakeObject {
  return {
    kind: 'EndpointSlice',
    metadata: { name: `${svc}-${suffix}`, namespace: ns, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => ({ addresses: [e.ip], conditions: { ready: e.ready } })),
    ports: [{ name: `p${port}`, port, protocol: 'TCP' }],
  };
}

export function networkPolicy(ns: string, name: string, spec: Record<string, unknown>): FakeObject {
  return { kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

/** `default-deny-ingress`: selects every pod of the namespace, allows no ingress. */
export function defaultDenyIngress(ns: string): FakeObject {
  return networkPolicy(ns, 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
}

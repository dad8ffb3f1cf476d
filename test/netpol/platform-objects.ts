// Objects of the seed-style platform: Vault and External Secrets behind Kyverno's
// default-deny-ingress, tenants with default-deny both ways, and the cluster DNS.
import type { KubeObject } from '../../src/netpol/objects.js';

export function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function denyIngress(ns: string): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
    metadata: { name: 'default-deny-ingress', namespace: ns },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  };
}

export function denyAll(ns: string): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
    metadata: { name: 'default-deny-all', namespace: ns },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
}

export function workload(kind: string, ns: string, name: string, labels: Record<string, string>, ports: { name?: string; containerPort: number; protocol?: string }[] = []): KubeObject {
  return {
    apiVersion: 'apps/v1', kind, metadata: { name, namespace: ns },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: `${name}:1`, ports }] } } },
  };
}

export function service(ns: string, name: string, selector: Record<string, string>, ports: { port: number; targetPort?: number | string; protocol?: string; name?: string }[]): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector, ports } };
}

/** The fix from the seed's worked example, in the vault namespace. */
export const ALLOW_ESO_TO_VAULT: KubeObject = {
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
  metadata: { name: 'allow-eso-to-vault', namespace: 'vault' },
  spec: {
    podSelector: {},
    policyTypes: ['Ingress'],
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'external-secrets' } } }], ports: [{ protocol: 'TCP', port: 8200 }] }],
  },
};

export const ESO_LABELS = { 'app.kubernetes.io/name': 'external-secrets' };
export const VAULT_LABELS = { 'app.kubernetes.io/name': 'vault' };

/** Vault + ESO, each namespace with Kyverno's default-deny-ingress. */
export function vaultPlatform(): KubeObject[] {
  return [
    namespace('vault'), namespace('external-secrets'),
    denyIngress('vault'), denyIngress('external-secrets'),
    workload('StatefulSet', 'vault', 'vault', VAULT_LABELS, [{ name: 'http', containerPort: 8200 }, { name: 'https-internal', containerPort: 8201 }]),
    service('vault', 'vault', VAULT_LABELS, [{ name: 'http', port: 8200, targetPort: 8200 }, { name: 'https-internal', port: 8201, targetPort: 8201 }]),
    workload('Deployment', 'external-secrets', 'external-secrets', ESO_LABELS),
  ];
}

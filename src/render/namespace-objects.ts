// The objects rendered once per namespace: the catalog ConfigMap, the NetworkPolicy admitting
// Prometheus to the agents' metrics port, and the PodMonitor.
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { AGENT_LABEL, objectLabels, sortedRecord } from './agent-labels.js';
import { METRICS_PORT_NAME } from './agent-deployment.js';
import {
  AGENT_JOB, CATALOG_CONFIGMAP, CATALOG_KEY, POD_MONITOR_NAME, SCRAPE_POLICY_NAME, type RenderOptions,
} from './render-options.js';

const agentSelector = { matchExpressions: [{ key: AGENT_LABEL, operator: 'Exists' }] };

/**
 * The catalog ConfigMap of a namespace. It holds the whole catalog file, verbatim: every agent
 * validates exactly the bytes the user validated, `control` links to other sources' paths still
 * resolve, and `--source` picks the agent's share.
 */
export function catalogConfigMap(namespace: string, catalogText: string): IConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: CATALOG_CONFIGMAP, namespace, labels: objectLabels('catalog') },
    data: { [CATALOG_KEY]: catalogText },
  };
}

/**
 * Admits the monitoring namespace's Prometheus pods to the agents' metrics port, and nothing else.
 * Ingress only: declaring Egress here would isolate the agents' egress, and the agents' egress
 * must stay governed by the cluster's own policies — that is what they measure.
 */
export function scrapeNetworkPolicy(namespace: string, options: RenderOptions): INetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: SCRAPE_POLICY_NAME, namespace, labels: objectLabels('agent') },
    spec: {
      podSelector: agentSelector,
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': options.monitoringNamespace } },
          podSelector: { matchLabels: sortedRecord(options.prometheusPodLabels) },
        }],
        ports: [{ port: options.port, protocol: 'TCP' }],
      }],
    },
  };
}

/** The PodMonitor scraping every agent of a namespace; `job` is fixed so alert rules can match it. */
export function agentPodMonitor(namespace: string, options: RenderOptions): IPodMonitor {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: {
      name: POD_MONITOR_NAME,
      namespace,
      labels: sortedRecord({ ...objectLabels('agent'), ...options.podMonitorLabels }),
    },
    spec: {
      namespaceSelector: { matchNames: [namespace] },
      selector: agentSelector,
      podMetricsEndpoints: [{
        port: METRICS_PORT_NAME,
        path: '/metrics',
        relabelings: [
          { action: 'replace', targetLabel: 'job', replacement: AGENT_JOB },
          { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_label_pathprobe_agent'], targetLabel: 'agent' },
        ],
      }],
    },
  };
}

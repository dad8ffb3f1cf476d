// The Deployment of one source's agent: the source's labels on a restricted, token-less pod that
// mounts the catalog ConfigMap as a directory and serves metrics/health on one port.
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { SourceIdentity } from '../catalog/types.js';
import { AGENT_LABEL, agentPodLabels, objectLabels } from './agent-labels.js';
import {
  agentName, CATALOG_CONFIGMAP, CATALOG_DIR, CATALOG_KEY, type RenderOptions,
} from './render-options.js';

/** Non-root uid/gid of the image (the distroless "nonroot" convention). */
export const AGENT_UID = 65532;
/** Name of the agent's container port; PodMonitor, NetworkPolicy and probes refer to it. */
export const METRICS_PORT_NAME = 'metrics';

function httpProbe(path: string, periodSeconds: number, failureThreshold: number): IProbe {
  return {
    httpGet: { path, port: METRICS_PORT_NAME, scheme: 'HTTP' },
    periodSeconds,
    timeoutSeconds: 2,
    failureThreshold,
  };
}

/**
 * The agent Deployment of `source`. No checksum annotation of the catalog on purpose: the agent
 * reloads the mounted ConfigMap itself, and a checksum would restart every agent on every edit.
 */
export function agentDeployment(source: SourceIdentity, options: RenderOptions): IDeployment {
  const { labels } = agentPodLabels(source);
  const podAnnotations: Record<string, string> = { 'kubectl.kubernetes.io/default-container': 'agent' };
  if (options.scrapeAnnotations) {
    podAnnotations['prometheus.io/path'] = '/metrics';
    podAnnotations['prometheus.io/port'] = String(options.port);
    podAnnotations['prometheus.io/scrape'] = 'true';
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: agentName(source.name),
      namespace: source.namespace,
      labels: objectLabels('agent', source.name),
    },
    spec: {
      replicas: 1,
      revisionHistoryLimit: 3,
      // Only the reserved label: the selector is immutable and must not change with the source's labels.
      selector: { matchLabels: { [AGENT_LABEL]: source.name } },
      template: {
        metadata: { labels, annotations: podAnnotations },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          securityContext: {
            runAsNonRoot: true,
            runAsUser: AGENT_UID,
            runAsGroup: AGENT_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          terminationGracePeriodSeconds: 15,
          containers: [{
            name: 'agent',
            image: options.image,
            imagePullPolicy: 'IfNotPresent',
            args: [
              'run',
              '--catalog', `${CATALOG_DIR}/${CATALOG_KEY}`,
              '--source', source.name,
              '--listen', `0.0.0.0:${options.port}`,
            ],
            env: [
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            ],
            ports: [{ name: METRICS_PORT_NAME, containerPort: options.port, protocol: 'TCP' }],
            livenessProbe: httpProbe('/-/healthy', 10, 3),
            readinessProbe: httpProbe('/-/ready', 5, 2),
            resources: {
              requests: { cpu: '20m', memory: '64Mi' },
              // A generous CPU limit: throttling would add latency to probe timings.
              limits: { cpu: '500m', memory: '192Mi' },
            },
            securityContext: {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'] },
              privileged: false,
              readOnlyRootFilesystem: true,
              runAsNonRoot: true,
              runAsUser: AGENT_UID,
              runAsGroup: AGENT_UID,
            },
            volumeMounts: [
              // A directory mount: kubelet swaps the `..data` symlink on update and the agent sees it.
              { name: 'catalog', mountPath: CATALOG_DIR, readOnly: true },
              { name: 'tmp', mountPath: '/tmp' },
            ],
          }],
          volumes: [
            { name: 'catalog', configMap: { name: CATALOG_CONFIGMAP } },
            { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
          ],
        },
      },
    },
  };
}

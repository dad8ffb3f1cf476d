// The settings `pathprobe render` turns into manifests, with their defaults.

/** Everything the renderer needs besides the catalog. */
export interface RenderOptions {
  /** Container image of pathprobe, e.g. `registry.example.com/pathprobe:0.1.0`. */
  image: string;
  /** Agent listen port: metrics, health and readiness. */
  port: number;
  /** Namespace of the Prometheus that scrapes the agents. */
  monitoringNamespace: string;
  /** Labels of the Prometheus pods the scrape NetworkPolicy admits. */
  prometheusPodLabels: Record<string, string>;
  /** Extra labels on each PodMonitor (for a Prometheus whose podMonitorSelector wants e.g. `release=...`). */
  podMonitorLabels: Record<string, string>;
  /** Emit PodMonitors (needs the prometheus-operator CRDs). */
  podMonitor: boolean;
  /** Put `prometheus.io/scrape|port|path` annotations on agent pods (annotation-driven scrape configs). */
  scrapeAnnotations: boolean;
  /** Namespace of the explainer: it gets the catalog ConfigMap too. Empty: no explainer ConfigMap. */
  explainerNamespace: string;
}

/** Default agent port (the same as `pathprobe run`'s documented listen port). */
export const DEFAULT_AGENT_PORT = 9477;

/** Defaults of every option but `image`. */
export const RENDER_DEFAULTS: Omit<RenderOptions, 'image'> = {
  port: DEFAULT_AGENT_PORT,
  monitoringNamespace: 'monitoring',
  prometheusPodLabels: { 'app.kubernetes.io/name': 'prometheus' },
  podMonitorLabels: {},
  podMonitor: true,
  scrapeAnnotations: false,
  explainerNamespace: 'pathprobe',
};

/** Name of the catalog ConfigMap in every namespace that runs pathprobe. */
export const CATALOG_CONFIGMAP = 'pathprobe-catalog';
/** Key of the catalog in that ConfigMap; mounted as `/etc/pathprobe/catalog.yaml`. */
export const CATALOG_KEY = 'catalog.yaml';
/** Directory the ConfigMap is mounted at (a directory mount, never subPath: subPath never updates). */
export const CATALOG_DIR = '/etc/pathprobe';
/** Name of the per-namespace NetworkPolicy that lets Prometheus scrape the agents. */
export const SCRAPE_POLICY_NAME = 'pathprobe-agent-allow-scrape';
/** Name of the per-namespace PodMonitor. */
export const POD_MONITOR_NAME = 'pathprobe-agents';
/** Prometheus `job` label of agent targets, set by the PodMonitor and the plain scrape config alike. */
export const AGENT_JOB = 'pathprobe-agent';
/** Largest ConfigMap payload the API server accepts (1 MiB), less room for metadata. */
export const CONFIGMAP_MAX_BYTES = 1_000_000;

/** Deployment name of a source's agent. */
export function agentName(sourceName: string): string {
  return `pathprobe-agent-${sourceName}`;
}

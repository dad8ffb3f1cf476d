// Turns a loaded catalog into the agent manifests, grouped per namespace and sorted: the pure core
// of `pathprobe render` (no file system, no output).
import type { Catalog, SourceIdentity } from '../catalog/types.js';
import { PathprobeError } from '../errors.js';
import { agentPodLabels, reservedLabelProblem } from './agent-labels.js';
import { agentDeployment } from './agent-deployment.js';
import { agentPodMonitor, catalogConfigMap, scrapeNetworkPolicy } from './namespace-objects.js';
import { checkWorkloadPodSecurity } from './pod-security.js';
import { agentName, CONFIGMAP_MAX_BYTES, type RenderOptions } from './render-options.js';
import type { PlacedAgent } from './placement-checks.js';

/** A Kubernetes object as rendered (typed where built, plain here). */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string };
}

/** Everything rendered into one namespace. */
export interface RenderedNamespace {
  namespace: string;
  objects: RenderedObject[];
}

/** The renderer's answer. */
export interface RenderedManifests {
  /** Sorted by namespace. */
  namespaces: RenderedNamespace[];
  agents: PlacedAgent[];
  /** Things the user should know (e.g. a source label overriding a standard label). */
  notes: string[];
}

/** The catalog cannot be rendered as given (bad source name, reserved label, too large). */
export class RenderError extends PathprobeError {
  constructor(message: string, hint: string) {
    super('PP_RENDER', message, hint);
    this.name = 'RenderError';
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const KIND_ORDER = ['ConfigMap', 'Deployment', 'NetworkPolicy', 'PodMonitor'];

/** The sources that have at least one path, sorted by name. */
export function sourcesWithPaths(catalog: Catalog): SourceIdentity[] {
  const byName = new Map<string, SourceIdentity>();
  for (const p of catalog.paths) byName.set(p.source.name, p.source);
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function checkSource(source: SourceIdentity): string[] {
  const problems: string[] = [];
  const name = agentName(source.name);
  if (!DNS_LABEL.test(source.name) || name.length > 63) {
    problems.push(`source "${source.name}": ${name} is not a valid Kubernetes name (lowercase a-z, 0-9, '-', at most 63 characters)`);
  }
  const reserved = reservedLabelProblem(source);
  if (reserved) problems.push(reserved);
  return problems;
}

function compareObjects(a: RenderedObject, b: RenderedObject): number {
  const ka = KIND_ORDER.indexOf(a.kind);
  const kb = KIND_ORDER.indexOf(b.kind);
  if (ka !== kb) return ka - kb;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/**
 * Renders the agents of every source that has paths. Throws {@link RenderError} when a source
 * cannot become an agent, or when a rendered pod fails the pod security checker (a bug guard).
 */
export function renderManifests(catalog: Catalog, catalogText: string, options: RenderOptions): RenderedManifests {
  const sources = sourcesWithPaths(catalog);
  const problems = sources.flatMap(checkSource);
  if (problems.length > 0) {
    throw new RenderError(problems.join('\n'), 'give the source a DNS-label name under `sources:` and drop reserved labels');
  }
  const catalogBytes = Buffer.byteLength(catalogText, 'utf8');
  if (catalogBytes > CONFIGMAP_MAX_BYTES) {
    throw new RenderError(`the catalog is ${catalogBytes} bytes; a ConfigMap holds at most about 1 MiB`, 'split the catalog or shorten it');
  }

  const byNamespace = new Map<string, RenderedObject[]>();
  const push = (ns: string, o: RenderedObject): void => {
    const list = byNamespace.get(ns) ?? [];
    list.push(o);
    byNamespace.set(ns, list);
  };
  const notes: string[] = [];
  const agents: PlacedAgent[] = [];
  for (const source of sources) {
    const { labels, overridden } = agentPodLabels(source);
    for (const key of overridden) {
      notes.push(`source "${source.name}" sets ${key}=${source.labels[key]}; the agent pods wear the source's value`);
    }
    const deployment = agentDeployment(source, options);
    const violations = checkWorkloadPodSecurity(deployment, { forbidServiceAccountToken: true });
    if (violations.length > 0) {
      throw new RenderError(
        `internal: the agent of "${source.name}" fails pod security: ${violations.map((v) => `${v.path}: ${v.message}`).join('; ')}`,
        'this is a pathprobe bug; please report it',
      );
    }
    push(source.namespace, deployment as RenderedObject);
    agents.push({ source, podLabels: labels, port: options.port });
  }
  for (const ns of [...byNamespace.keys()]) {
    push(ns, catalogConfigMap(ns, catalogText) as RenderedObject);
    push(ns, scrapeNetworkPolicy(ns, options) as RenderedObject);
    if (options.podMonitor) push(ns, agentPodMonitor(ns, options) as RenderedObject);
  }
  if (options.explainerNamespace !== '' && !byNamespace.has(options.explainerNamespace)) {
    push(options.explainerNamespace, catalogConfigMap(options.explainerNamespace, catalogText) as RenderedObject);
  }
  const namespaces = [...byNamespace.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([namespace, objects]) => ({ namespace, objects: objects.sort(compareObjects) }));
  return { namespaces, agents, notes };
}

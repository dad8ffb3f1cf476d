// `pathprobe render`: per-source agent manifests for GitOps, after checking that no Service would
// select the agents and that the agent port does not collide with the workload's ports.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { Command, CommandIO } from './command.js';
import { UsageError } from '../errors.js';
import { namespaceOption, withParseErrorsAsUsage } from './parse-command-args.js';
import { readCatalogInput } from '../render/catalog-input.js';
import { formatProblem } from '../catalog/load.js';
import { oneLine } from '../one-line.js';
import { renderManifests } from '../render/render-manifests.js';
import { readManifests } from '../render/read-manifests.js';
import { checkPlacement } from '../render/placement-checks.js';
import { renderedFiles, renderedStream } from '../render/manifest-yaml.js';
import { writeRenderedFiles } from '../render/write-output.js';
import { RENDER_DEFAULTS, type RenderOptions } from '../render/render-options.js';

const USAGE = `Usage: pathprobe render --catalog PATH --image IMAGE [options]

Writes, for every catalog source that has paths, an agent Deployment in the source's namespace
wearing the source's labels, the catalog ConfigMap, a NetworkPolicy admitting Prometheus to the
agents' metrics port, and a PodMonitor. Output is byte-stable: commit it (Argo CD, Flux).

Options:
  --catalog PATH                 the catalog file (embedded verbatim in the ConfigMaps)
  --image IMAGE                  pathprobe container image
  --port N                       agent port for metrics and health (default ${RENDER_DEFAULTS.port})
  --monitoring-namespace NS      namespace of the scraping Prometheus (default ${RENDER_DEFAULTS.monitoringNamespace})
  --prometheus-labels k=v,...    labels of the Prometheus pods (default app.kubernetes.io/name=prometheus)
  --podmonitor-labels k=v,...    extra labels on the PodMonitors (e.g. release=kube-prometheus-stack)
  --no-podmonitor                emit no PodMonitor (no prometheus-operator CRDs in the cluster)
  --scrape-annotations           add prometheus.io/scrape|port|path annotations to agent pods
  --explainer-namespace NS       namespace that also gets the catalog ConfigMap, for the explainer
                                 (default ${RENDER_DEFAULTS.explainerNamespace}; "" for none)
  --manifests PATH...            the cluster's YAML (files or directories): refuse when a Service
                                 selects an agent or a workload of the source uses the agent port
  --force                        render despite those findings (they are printed as warnings)
  --out DIR                      write <namespace>.yaml files and kustomization.yaml into DIR
                                 (default: one multi-document stream on stdout)

Exit status: 0 rendered, 1 refused or invalid catalog.`;

const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Parses `k=v,k2=v2` into labels; throws a UsageError naming the option on a bad entry. */
export function parseLabelList(text: string, option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    if (eq < 0 || !LABEL_KEY.test(key) || !LABEL_VALUE.test(value) || value.length > 63) {
      throw new UsageError(`${option}: "${part}" is not a label key=value`, `write ${option} key=value,key2=value2`);
    }
    out[key] = value;
  }
  return out;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new UsageError(`--port: "${text}" is not a TCP port`);
  return port;
}

async function runRender(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      catalog: { type: 'string' },
      image: { type: 'string' },
      port: { type: 'string' },
      'monitoring-namespace': { type: 'string' },
      'prometheus-labels': { type: 'string' },
      'podmonitor-labels': { type: 'string' },
      'no-podmonitor': { type: 'boolean' },
      'scrape-annotations': { type: 'boolean' },
      'explainer-namespace': { type: 'string' },
      manifests: { type: 'string', multiple: true },
      force: { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.catalog) throw new UsageError('render needs --catalog PATH', 'pathprobe render --catalog PATH --image IMAGE');
  if (!values.image || /\s/.test(values.image)) throw new UsageError('render needs --image IMAGE', 'pathprobe render --catalog PATH --image IMAGE');
  // `--manifests a b c`: positionals after --manifests are more manifest paths.
  if (positionals.length > 0 && !values.manifests) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const manifestPaths = [...(values.manifests ?? []), ...positionals].map((p) => {
    // resolve(cwd, '') is cwd itself: an unset shell variable would read the whole tree under it.
    if (p === '') throw new UsageError('a --manifests path is empty', 'an unset shell variable? pass a file or a directory');
    return resolve(io.cwd, p);
  });

  const options: RenderOptions = {
    ...RENDER_DEFAULTS,
    image: values.image,
    port: values.port === undefined ? RENDER_DEFAULTS.port : parsePort(values.port),
    monitoringNamespace: namespaceOption('monitoring-namespace', values['monitoring-namespace']) ?? RENDER_DEFAULTS.monitoringNamespace,
    prometheusPodLabels: values['prometheus-labels'] === undefined
      ? RENDER_DEFAULTS.prometheusPodLabels : parseLabelList(values['prometheus-labels'], '--prometheus-labels'),
    podMonitorLabels: parseLabelList(values['podmonitor-labels'] ?? '', '--podmonitor-labels'),
    podMonitor: values['no-podmonitor'] !== true,
    scrapeAnnotations: values['scrape-annotations'] === true,
    explainerNamespace: namespaceOption('explainer-namespace', values['explainer-namespace'], true) ?? RENDER_DEFAULTS.explainerNamespace,
  };
  if (Object.keys(options.prometheusPodLabels).length === 0) {
    throw new UsageError('--prometheus-labels must name at least one label', 'an empty selector would admit every pod of the namespace');
  }

  const input = await readCatalogInput(values.catalog, io.cwd);
  for (const w of input.warnings) io.stderr.write(`${formatProblem({ ...w, message: `warning: ${w.message}` })}\n`);
  if (!input.catalog || input.errors.length > 0) {
    for (const e of input.errors) io.stderr.write(`${formatProblem(e)}\n`);
    return 1;
  }
  const result = renderManifests(input.catalog, input.text, options);
  for (const note of result.notes) io.stderr.write(`note: ${note}\n`);
  if (result.agents.length === 0) io.stderr.write('warning: no source has paths: no agent rendered\n');

  if (manifestPaths.length === 0) {
    io.stderr.write(
      'warning: no --manifests given: could not check whether a Service selects the agent pods (it would send ' +
      `them the workload's traffic) or whether port ${options.port} collides with the workloads' ports\n`,
    );
  } else {
    const problems = checkPlacement(result.agents, await readManifests(manifestPaths));
    if (problems.length > 0 && !values.force) {
      io.stderr.write('pathprobe render: refusing to render (--force renders anyway):\n');
      for (const p of problems) io.stderr.write(`  ${oneLine(p.message)}\n`);
      return 1;
    }
    // The messages name objects from the manifests, whose names nothing has validated.
    for (const p of problems) io.stderr.write(`warning (forced): ${oneLine(p.message)}\n`);
  }

  if (values.out) {
    const dir = resolve(io.cwd, values.out);
    const summary = await writeRenderedFiles(dir, renderedFiles(result));
    io.stderr.write(`wrote ${summary.written.join(', ')} to ${dir}\n`);
    if (summary.removed.length > 0) io.stderr.write(`removed stale ${summary.removed.join(', ')}\n`);
  } else {
    io.stdout.write(renderedStream(result));
  }
  return 0;
}

/** The `render` sub-command. */
export const renderCommand: Command = {
  name: 'render',
  summary: 'per-source agent manifests (Deployment, ConfigMap, NetworkPolicy, PodMonitor) for GitOps',
  usage: USAGE,
  run(args, io) {
    return withParseErrorsAsUsage('render', () => runRender(args, io));
  },
};

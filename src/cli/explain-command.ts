// `pathprobe explain`: NetworkPolicy verdict per catalog path from YAML manifests, offline, with
// the deciding policies and a suggested allow. Exit 0 all as declared, 1 otherwise, 2 input errors.
import { parseArgs } from 'node:util';
import type { Command, CommandIO } from './command.js';
import { UsageError } from '../errors.js';
import { domainOption, namespaceOption, withParseErrorsAsUsage } from './parse-command-args.js';
import { CatalogReadError, formatProblem, loadCatalogFiles } from '../catalog/load.js';
import { explainJson, explainText } from './explain-format.js';
import { oneLine } from '../one-line.js';
import { PolicyExplainer } from '../netpol/explainer.js';
import { ManifestReadError, locateProblem, readManifests } from '../netpol/manifests.js';
import { parseLabelSelectorText } from './explain-labels.js';

const USAGE = `Usage: pathprobe explain --catalog PATH --manifests PATH... [options]

Decides, for every catalog path, whether the NetworkPolicies in the manifests allow it
(networking.k8s.io/v1 semantics), names the deciding policies and rules, and for a denied
must-work path prints the minimal allow policy (checked by re-evaluation).

Options:
  --catalog PATH            catalog file or directory of *.yaml (repeatable)
  --manifests PATH...       YAML/JSON files or directories (recursive); - reads stdin
  --output text|json        default text
  --path NAME               only this path (repeatable)
  --default-namespace NS    namespace of objects that name none (default: default)
  --cluster-domain DOMAIN   default cluster.local
  --dns-namespace NS        where the cluster DNS pods run (default kube-system)
  --dns-labels k=v,...      their labels (default k8s-app=kube-dns)

Exit status: 0 every verdict matches expect, 1 otherwise, 2 usage or input errors
(unreadable file, YAML syntax error, invalid catalog, manifests without any object).`;

async function runExplain(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      catalog: { type: 'string', multiple: true },
      manifests: { type: 'string', multiple: true },
      output: { type: 'string' },
      path: { type: 'string', multiple: true },
      'default-namespace': { type: 'string' },
      'cluster-domain': { type: 'string' },
      'dns-namespace': { type: 'string' },
      'dns-labels': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const output = values.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json, not "${output}"`);
  if (!values.catalog?.length) throw new UsageError('explain needs --catalog PATH', 'pathprobe explain --catalog probes/ --manifests manifests/');
  // `--manifests a b c`: positionals after --manifests are more manifest paths.
  if (positionals.length > 0 && !values.manifests) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const manifestPaths = [...(values.manifests ?? []), ...positionals];
  if (manifestPaths.length === 0) throw new UsageError('explain needs --manifests PATH...', 'use - to read `kustomize build` output from stdin');
  const defaultNamespace = namespaceOption('default-namespace', values['default-namespace']);
  const dnsNamespace = namespaceOption('dns-namespace', values['dns-namespace']);
  const clusterDomain = domainOption('cluster-domain', values['cluster-domain']);
  const dnsLabels = values['dns-labels'] === undefined ? undefined : parseLabelSelectorText(values['dns-labels'], '--dns-labels');

  let catalog;
  let manifests;
  try {
    const loaded = await loadCatalogFiles(values.catalog, { cwd: io.cwd });
    for (const w of loaded.warnings) io.stderr.write(`${formatProblem({ ...w, message: `warning: ${w.message}` })}\n`);
    if (!loaded.catalog || loaded.errors.length > 0) {
      for (const e of loaded.errors) io.stderr.write(`${formatProblem(e)}\n`);
      return 2;
    }
    catalog = loaded.catalog;
    manifests = await readManifests(manifestPaths, { stdin: io.stdin, cwd: io.cwd });
    if (manifests.objects.length === 0 && manifests.lists === 0 && !manifests.problems.some((p) => p.severity === 'fatal')) {
      // Judged against nothing, every path is open: a must-work path would pass. Most often the
      // command before the pipe failed (`kustomize build ... |` without pipefail) or the path is wrong.
      const read = manifests.files.length === 0 ? 'no manifest files' : manifests.files.slice(0, 3).join(', ') + (manifests.files.length > 3 ? ', ...' : '');
      throw new ManifestReadError(`--manifests hold no Kubernetes objects (read: ${read})`,
        'check the paths; an empty stdin usually means the command before the pipe failed, which set -o pipefail catches');
    }
  } catch (err) {
    if (err instanceof ManifestReadError || err instanceof CatalogReadError) {
      io.stderr.write(`pathprobe explain: ${oneLine(`${err.message} (${err.hint})`)}\n`);
      return 2;
    }
    throw err;
  }

  const explainer = new PolicyExplainer({
    ...(defaultNamespace ? { defaultNamespace } : {}),
    ...(clusterDomain ? { clusterDomain } : {}),
    clusterDns: { ...(dnsNamespace ? { namespace: dnsNamespace } : {}), ...(dnsLabels ? { labels: dnsLabels } : {}) },
  });
  const problems = [...manifests.problems];
  for (const located of manifests.objects) {
    const update = explainer.model.upsert(located.object);
    const severity = update.role === 'networkpolicy' ? 'error' : 'warning';
    for (const p of update.problems) problems.push(locateProblem(located, p.path, p.message, severity));
  }
  for (const p of problems) {
    // File names come from directory listings, messages and paths from the manifests: one line each.
    io.stderr.write(`${oneLine(`${p.file}:${p.line}:${p.col}: ${p.severity === 'warning' ? 'warning' : 'error'}: ${p.message}${p.yamlPath ? ` (${p.yamlPath})` : ''}`)}\n`);
  }
  if (problems.some((p) => p.severity === 'fatal')) return 2;

  let paths = catalog.paths;
  if (values.path?.length) {
    const wanted = new Set(values.path);
    paths = paths.filter((p) => wanted.has(p.name) || wanted.has(p.baseName));
    const missing = [...wanted].filter((w) => !paths.some((p) => p.name === w || p.baseName === w));
    if (missing.length > 0) throw new UsageError(`no path named ${missing.join(', ')} in the catalog`);
  }
  explainer.setPaths(paths);
  const results = explainer.explainAll();
  if (output === 'json') io.stdout.write(explainJson(results));
  else io.stdout.write(explainText(results, { githubAnnotations: io.env.GITHUB_ACTIONS === 'true', specs: new Map(paths.map((p) => [p.name, p])) }));
  return results.every((r) => r.matches) ? 0 : 1;
}

/** The `explain` sub-command. */
export const explainCommand: Command = {
  name: 'explain',
  summary: 'NetworkPolicy verdict per path from YAML manifests, with the deciding policies and a suggested allow',
  usage: USAGE,
  run(args, io) {
    return withParseErrorsAsUsage('explain', () => runExplain(args, io));
  },
};

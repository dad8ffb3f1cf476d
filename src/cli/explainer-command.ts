// `pathprobe explainer --catalog PATH [--listen ADDR] [--kubeconfig PATH]`: the in-cluster policy
// explainer. Watches the API read-only and exports the verdict metrics until SIGTERM.
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import { PolicyExplainer } from '../netpol/index.js';
import type { Command, CommandIO } from './command.js';

const USAGE = `Usage: pathprobe explainer --catalog PATH [--listen ADDR] [--kubeconfig PATH]

Watches namespaces, pods, services, endpointslices and networkpolicies (get/list/watch only),
evaluates every catalog path against the live NetworkPolicies and exports
pathprobe_policy_verdict{path,verdict} and pathprobe_path_ready_endpoints{path}. A change
re-evaluates only the paths it affects. While the API server is unreachable the last verdicts
stay served. Send SIGHUP to reload the catalog (an invalid one keeps the last good one).

Serves /metrics, /-/healthy, /-/ready (after the initial sync), /api/v1/explain, /api/v1/paths
and the status page.

Credentials: --kubeconfig, else the pod's service account, else KUBECONFIG / ~/.kube/config.

Options:
  -c, --catalog PATH      catalog file or directory (repeatable)
  -l, --listen ADDR       listen address (default 0.0.0.0:9477)
      --kubeconfig PATH   kubeconfig file to use
  -h, --help              show this help`;

/** The `explainer` command. */
export const explainerCommand: Command = {
  name: 'explainer',
    stopsOnSignal: true,
  summary: 'in-cluster: watch the API read-only and export NetworkPolicy verdicts per path',
  usage: USAGE,
  async run(args: string[], io: CommandIO): Promise<number> {
    let values;
    try {
      ({ values } = parseArgs({
        args, allowPositionals: false, strict: true,
        options: {
          catalog: { type: 'string', short: 'c', multiple: true },
          listen: { type: 'string', short: 'l' },
          kubeconfig: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      }));
    } catch (err) {
      throw new UsageError((err as Error).message, 'run `pathprobe explainer --help`');
    }
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (!values.catalog?.length) throw new UsageError('explainer needs --catalog PATH', 'run `pathprobe explainer --help`');
    // Loaded on use: the Kubernetes client is hundreds of modules, which every other command
    // (the agent included) would otherwise open at start — more descriptors than a low
    // `ulimit -n` allows (test/reliability/fd-limit.test.ts).
    const { runExplainer } = await import('../explainer/run-explainer.js');
    return runExplainer(
      {
        catalog: values.catalog,
        ...(values.listen !== undefined ? { listen: values.listen } : {}),
        ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}),
      },
      io,
      () => new PolicyExplainer(),
    );
  },
};

// `pathprobe demo` (npm start): starts loopback demo targets in-process, runs the agent on
// probes/examples/local.yaml against them, and says where to look and what each result means.
import { fileURLToPath } from 'node:url';
import { RESULT_MEANING, type ResultClass } from '../classify/result-class.js';
import { DEMO_HOST, DEMO_PORTS, startDemoTargets } from '../demo/targets.js';
import { PathprobeError } from '../errors.js';
import type { Command } from './command.js';
import type { AgentDeps } from './agent-deps.js';
import { parseCommandArgs } from './parse-command-args.js';
import { createLogger, runAgentUntilStopped } from './run-command.js';
import { formatTable } from './text-table.js';

/** The demo catalog, shipped with the package. */
export const DEMO_CATALOG = fileURLToPath(new URL('../../probes/examples/local.yaml', import.meta.url));

/** What each demo path shows (the catalog's comments, for the banner). */
const DEMO_PATHS: [path: string, result: ResultClass, state: string][] = [
  ['web-healthz', 'ok', 'up'],
  ['web-broken', 'http_status', 'down'],
  ['web-hung', 'http_timeout', 'down'],
  ['web-reset', 'reset', 'down'],
  ['api-port-closed', 'refused', 'down'],
  ['db-dropped', 'timeout', 'down'],
  ['isolation-holds', 'timeout', 'up (expect: blocked)'],
  ['isolation-unproven', 'timeout', 'inconclusive (its control db-dropped fails too)'],
  ['isolation-breached', 'ok', 'down (expect: blocked: a breach)'],
  ['dns-api', 'ok', 'up'],
  ['dns-missing', 'dns_nxdomain', 'down'],
];

const USAGE = `Usage: pathprobe demo [--log-level LEVEL]

Starts demo targets on ${DEMO_HOST} (ports ${Object.values(DEMO_PORTS).join(', ')}): an HTTP server, a hung
server, one that resets, a closed port, a port that drops SYNs like a NetworkPolicy, and a DNS
responder for *.demo.svc.cluster.local; then runs the agent on probes/examples/local.yaml and
serves its pages on http://${DEMO_HOST}:${DEMO_PORTS.agent}/. Nothing leaves the machine. Stop with Ctrl-C.`;

/** The banner printed once everything runs. */
export function demoBanner(agentUrl: string): string {
  const rows = DEMO_PATHS.map(([path, result, state]) => [path, result, state, RESULT_MEANING[result].meaning]);
  return [
    '',
    'pathprobe demo: probing loopback targets every 5 s (first results within 5 s)',
    '',
    `  status page   ${agentUrl}`,
    `  metrics       ${agentUrl}metrics`,
    `  paths API     ${agentUrl}api/v1/paths`,
    '',
    'What each path shows:',
    '',
    formatTable(['PATH', 'RESULT', 'STATE', 'MEANING'], rows).replace(/^/gm, '  ').trimEnd(),
    '',
    '  timeout (no answer to the SYN) is what a NetworkPolicy drop looks like; refused means the',
    '  packets arrived and nothing listens: look at the policies for the first, the pod for the second.',
    '',
    'JSON logs follow (a line per state change). Ctrl-C stops.',
    '',
    '',
  ].join('\n');
}

/** Builds the demo command over the catalog loader and probers. */
export function createDemoCommand(loadDeps: () => Promise<AgentDeps>): Command {
  return {
    name: 'demo',
    stopsOnSignal: true,
    summary: 'run the agent against built-in loopback targets (what `npm start` does)',
    usage: USAGE,
    async run(args, io) {
      const { values } = parseCommandArgs('demo', args, { 'log-level': { type: 'string', default: 'info' } });
      const logger = createLogger(io, values['log-level']);
      const deps = await loadDeps();
      const targets = await startDemoTargets();
      try {
        const options = { catalogPaths: [DEMO_CATALOG], listen: `${DEMO_HOST}:${DEMO_PORTS.agent}`, logger, ...deps };
        return await runAgentUntilStopped(options, io, (agent) => io.stdout.write(demoBanner(agent.listening.url))).catch(
          (error: unknown) => {
            if (error instanceof PathprobeError && error.code === 'PP_LISTEN') {
              throw new PathprobeError('PP_DEMO_PORT', `demo agent port ${DEMO_HOST}:${DEMO_PORTS.agent} is not free`, `stop what listens there (an earlier demo or \`pathprobe run\`; see \`ss -ltnp | grep ${DEMO_PORTS.agent}\`)`, { cause: error });
            }
            throw error;
          },
        );
      } finally {
        await targets.close();
      }
    },
  };
}

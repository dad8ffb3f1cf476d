// `npm run lab [SCENARIO]`: starts one lab scenario for a person to explore. Prints the agents'
// status page and metrics URLs (published on 127.0.0.1), a line per path change, applies the
// scenario's steps on Enter, and removes everything on Ctrl-C or SIGTERM.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { forwardFromHost, type HostForward } from './host-forward.js';
import { DNS_POD, startLab, type Lab } from './lab.js';
import { agentPods, findScenario, SCENARIOS } from './scenarios.js';
import type { LabScenario } from './scenario-types.js';
import { sweepLeftovers, sweepRun } from './sweep.js';
import { watchPaths } from './watch-paths.js';

const USAGE = `Usage: npm run lab [-- SCENARIO] [--port N] [--list] [--clean]

Starts a lab scenario (network namespaces, nftables policy, dnsmasq, servers and the real
pathprobe agents) and keeps it running until Ctrl-C. Needs root.

  SCENARIO   one of: ${SCENARIOS.map((s) => s.name).join(', ')}
  --port N   publish the first agent on 127.0.0.1:N (the next on N+1...); default: free ports
  --list     list the scenarios and exit
  --clean    remove what crashed lab runs left behind, and exit`;

const out = (line = ''): void => void process.stdout.write(`${line}\n`);

function listScenarios(): void {
  out('Scenarios:');
  for (const [i, s] of SCENARIOS.entries()) out(`  ${i + 1}. ${s.name.padEnd(13)} ${s.summary}`);
}

/** The scenario named `answer`, or numbered so in the list. */
function scenarioOf(answer: string): LabScenario | undefined {
  return findScenario(answer) ?? SCENARIOS[Number(answer) - 1];
}

/** "path state (result), ..." of one set of expectations. */
function expected(expect: LabScenario['expect']): string {
  return Object.entries(expect).map(([p, e]) => `${p} ${e.state} (${e.result})`).join(', ');
}

async function chooseScenario(arg: string | undefined): Promise<LabScenario | undefined> {
  if (arg !== undefined) return scenarioOf(arg);
  listScenarios();
  if (!process.stdin.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await new Promise<string>((resolve) => rl.question('Scenario (number or name): ', resolve));
  rl.close();
  return scenarioOf(answer.trim());
}

function describe(lab: Lab, forwards: Map<string, HostForward>): void {
  const s = lab.scenario;
  out();
  out(`Lab ${s.name} (run ${lab.runId}): ${s.summary}`);
  out();
  out('Pods (network namespace, address):');
  for (const pod of [DNS_POD, ...s.pods]) {
    out(`  ${`${pod.name} (${pod.namespace})`.padEnd(28)} ${(lab.netns.get(pod.name) ?? '').padEnd(28)} ${lab.address(pod.name)}`);
  }
  for (const [pod, fwd] of forwards) {
    out();
    out(`Agent of ${pod} (pathprobe run --source ${pod}):`);
    out(`  status page  ${fwd.url}`);
    out(`  metrics      ${fwd.url}metrics`);
    out(`  paths API    ${fwd.url}api/v1/paths`);
  }
  out();
  out(`Catalog: ${lab.stateDir}/catalog.yaml   logs: ${lab.stateDir}/*.log`);
  out(`Expected: ${expected(s.expect)}`);
  out('Ctrl-C stops the lab and removes everything.');
  out();
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { port: { type: 'string' }, list: { type: 'boolean' }, clean: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return out(USAGE), 0;
  if (values.list) return listScenarios(), 0;
  if (values.port !== undefined && !/^\d{1,5}$/.test(values.port)) {
    process.stderr.write(`error: --port must be a port number\n${USAGE}\n`);
    return 2;
  }
  if (process.getuid?.() !== 0) {
    process.stderr.write('error: the lab needs root (network namespaces and nftables)\nhint: sudo npm run lab\n');
    return 2;
  }
  const swept = await sweepLeftovers();
  if (swept.length > 0) out(`Removed the leftovers of ${swept.length} earlier lab run(s): ${swept.join(', ')}`);
  if (values.clean) return 0;
  const scenario = await chooseScenario(positionals[0]);
  if (!scenario) {
    process.stderr.write(`${positionals[0] === undefined ? '' : `error: no scenario "${positionals[0]}"\n`}${USAGE}\n`);
    return 2;
  }

  // Signals first, so a Ctrl-C during the start still tears down what exists.
  let lab: Lab | undefined;
  /** The lab being started: a signal during the start waits for it and then removes it. */
  let starting: Promise<Lab> | undefined;
  const forwards = new Map<string, HostForward>();
  let stopWatch = (): void => undefined;
  let stopping = false;
  const stopped = new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      if (stopping) {
        out(`${signal} again: removing the lab's namespaces now`);
        void (lab ? sweepRun(lab.runId) : Promise.resolve()).then(() => process.exit(130));
        return;
      }
      stopping = true;
      out(`${signal}: stopping the lab...`);
      stopWatch();
      void Promise.all([...forwards.values()].map((f) => f.close()))
        .then(() => starting?.then((started) => started.close(), () => undefined))
        .then(() => { out('Lab removed.'); resolve(0); });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGHUP', () => stop('SIGHUP'));
  });

  out(`Starting ${scenario.name}...`);
  starting = startLab(scenario, { timing: { interval: '2s', timeout: '1s' }, log: (l) => out(l) });
  lab = await starting;
  if (stopping) return stopped;
  const base = values.port === undefined ? 0 : Number(values.port);
  for (const [i, pod] of agentPods(scenario).entries()) {
    forwards.set(pod.name, await forwardFromHost(lab.agentSocket(pod.name), base === 0 ? 0 : base + i));
  }
  describe(lab, forwards);
  stopWatch = watchPaths(lab, out);

  const steps = [...(scenario.steps ?? [])];
  const announce = (): void => {
    const next = steps[0];
    if (next) out(`Press Enter to apply the next step: ${next.description}`);
  };
  announce();
  const rl = createInterface({ input: process.stdin });
  rl.on('line', () => {
    const step = steps.shift();
    if (!step || !lab || stopping) return;
    out(`Applying: ${step.description}`);
    out(`Expected: ${expected(step.expect)}`);
    void lab.apply(step).then(announce, (e: unknown) => out(`step failed: ${(e as Error).message}`));
  });
  const code = await stopped;
  rl.close();
  return code;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`error: ${(e as Error).message}\n${(e as { hint?: string }).hint ? `hint: ${(e as { hint: string }).hint}\n` : ''}`);
    process.exit(1);
  },
);

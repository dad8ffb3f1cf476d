// Starts a scenario: namespaces, nftables, dnsmasq, servers, the real agents (`pathprobe run`
// inside their pods' namespaces), and a forwarder in the node namespace through which the host
// scrapes them. `close()` removes everything, whatever state the start reached.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCatalog, TEST_TIMING, type LabTiming } from './catalog.js';
import { inNetns, NFT } from './exec.js';
import { newRunId, stateDir } from './names.js';
import { claimStateDir } from './owner.js';
import { findProgram } from './programs.js';
import { renderRuleset } from './nft-rules.js';
import { agentPods } from './scenarios.js';
import { startInNetns, type LabProcess } from './process.js';
import type { DirectionPolicy, LabScenario, LabStep, PodSpec } from './scenario-types.js';
import { sweepRun } from './sweep.js';
import { createNode, createPod, NODE_ADDRESS, podAddress } from './topology.js';
import { getViaSocket, type LabResponse } from './unix-http.js';
import { DEFAULT_AGENT_PORT } from '../render/render-options.js';

/** The cluster DNS pod every scenario gets. */
export const DNS_POD: PodSpec = { name: 'kube-dns', namespace: 'kube-system' };

// dist/lab/*.js from both src/lab (tsx) and dist/lab.
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const MAIN = join(DIST, 'cli/main.js');
const SERVE = join(DIST, 'lab/serve.js');
const FORWARD = join(DIST, 'lab/forward.js');
/** The built files a lab runs (its processes are `node` on these). */
export const LAB_DIST_FILES = [MAIN, SERVE, FORWARD];

/** A running scenario. */
export interface Lab {
  runId: string;
  scenario: LabScenario;
  stateDir: string;
  /** Network namespace of each pod (kube-dns included). */
  netns: Map<string, string>;
  address(pod: string): string;
  /** Unix socket reaching the agent of `pod` (through the node namespace). */
  agentSocket(pod: string): string;
  /** GET on the agent of `pod`, e.g. `/metrics`. */
  get(pod: string, path: string): Promise<LabResponse>;
  /** The agent process of `pod`. */
  agent(pod: string): LabProcess;
  /** Pids of every process the lab started (agents, servers, dnsmasq, forwarder). */
  pids(): number[];
  /** Applies a step's change (not its expectations). */
  apply(step: LabStep): Promise<void>;
  close(): Promise<void>;
}

export interface LabOptions {
  timing?: LabTiming;
  /** Progress lines (the interactive CLI prints them). */
  log?: (line: string) => void;
}

/** Starts `scenario`; on any failure everything created so far is removed and the error rethrown. */
export async function startLab(scenario: LabScenario, options: LabOptions = {}): Promise<Lab> {
  const runId = newRunId();
  const dir = stateDir(runId);
  const log = options.log ?? (() => undefined);
  const pods = [DNS_POD, ...scenario.pods];
  const addresses = new Map(pods.map((p, i) => [p.name, podAddress(i)]));
  const netns = new Map<string, string>();
  const processes: LabProcess[] = [];
  const servers = new Map<string, LabProcess>();
  const agents = new Map<string, LabProcess>();
  const policies = new Map(scenario.pods.map((p) => [p.name, { ingress: clonePolicy(p.ingress), egress: clonePolicy(p.egress) }]));
  const addressOf = (pod: string): string => {
    const a = addresses.get(pod);
    if (!a) throw new Error(`scenario ${scenario.name}: no pod "${pod}"`);
    return a;
  };
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      // Agents first, so no probe sees a half-torn-down lab; then everything else.
      await Promise.all([...agents.values()].map((p) => p.stop()));
      await Promise.all(processes.map((p) => p.stop()));
      await sweepRun(runId);
    })();
    return closed;
  };
  const applyPolicy = async (pod: PodSpec): Promise<void> => {
    const policy = policies.get(pod.name) ?? {};
    const ruleset = renderRuleset({
      ...policy,
      ...(pod.agent ? { scrape: { from: NODE_ADDRESS, port: DEFAULT_AGENT_PORT } } : {}),
    }, addressOf);
    await inNetns(netns.get(pod.name) as string, NFT, ['-f', '-'], ruleset);
  };

  try {
    await claimStateDir(dir, runId);
    log(`run ${runId}: creating ${pods.length + 1} network namespaces`);
    const nodeNetns = await createNode(runId);
    netns.set('node', nodeNetns);
    const dnsAddress = addressOf(DNS_POD.name);
    for (const [index, pod] of pods.entries()) {
      netns.set(pod.name, await createPod(runId, nodeNetns, { ...pod, index, address: addressOf(pod.name) }, dnsAddress));
    }
    for (const pod of scenario.pods) await applyPolicy(pod);

    const records = pods.map((p) => `--host-record=${p.name}.${p.namespace}.svc.cluster.local,${addressOf(p.name)}`);
    processes.push(await startInNetns('dnsmasq', netns.get(DNS_POD.name) as string, findProgram('dnsmasq') ?? 'dnsmasq', [
      '--no-daemon', '--conf-file=/dev/null', '--port=53', `--listen-address=${dnsAddress}`, '--bind-interfaces',
      '--no-resolv', '--no-hosts', '--pid-file=', '--log-facility=-', '--local=/cluster.local/', ...records,
    ], { ready: /started, version/, logFile: join(dir, 'dnsmasq.log') }));

    for (const pod of scenario.pods.filter((p) => p.servers?.length)) {
      const proc = await startInNetns(`servers of ${pod.name}`, netns.get(pod.name) as string, process.execPath, [
        SERVE, JSON.stringify(pod.servers),
      ], { ready: /^ready$/m, logFile: join(dir, `${pod.name}-servers.log`) });
      servers.set(pod.name, proc);
      processes.push(proc);
    }

    const catalog = join(dir, 'catalog.yaml');
    await writeFile(catalog, renderCatalog(scenario, addressOf, options.timing ?? TEST_TIMING));
    const withAgent = agentPods(scenario);
    await Promise.all(withAgent.map(async (pod) => {
      agents.set(pod.name, await startInNetns(`agent of ${pod.name}`, netns.get(pod.name) as string, process.execPath, [
        MAIN, 'run', '--catalog', catalog, '--source', pod.name, '--listen', `${addressOf(pod.name)}:${DEFAULT_AGENT_PORT}`,
      ], { ready: /"msg":"serving /, logFile: join(dir, `${pod.name}-agent.log`), timeoutMs: 20_000 }));
    }));
    const forwards = withAgent.map((p) => `${join(dir, `${p.name}.sock`)}=${addressOf(p.name)}:${DEFAULT_AGENT_PORT}`);
    processes.push(await startInNetns('forwarder', nodeNetns, process.execPath, [FORWARD, ...forwards], {
      ready: /^ready$/m, logFile: join(dir, 'forwarder.log'),
    }));
    log(`run ${runId}: ${withAgent.length} agent(s) running`);

    const agentSocket = (pod: string): string => {
      if (!agents.has(pod)) throw new Error(`scenario ${scenario.name}: pod "${pod}" runs no agent`);
      return join(dir, `${pod}.sock`);
    };
    return {
      runId,
      scenario,
      stateDir: dir,
      netns,
      address: addressOf,
      agentSocket,
      get: (pod, path) => getViaSocket(agentSocket(pod), path),
      agent: (pod) => {
        const a = agents.get(pod);
        if (!a) throw new Error(`scenario ${scenario.name}: pod "${pod}" runs no agent`);
        return a;
      },
      pids: () => [...agents.values(), ...processes].flatMap((p) => p.child.pid ?? []),
      async apply(step) {
        if (step.allow) {
          const { pod, direction, rule } = step.allow;
          const policy = policies.get(pod)?.[direction];
          if (!policy) throw new Error(`scenario ${scenario.name}: pod "${pod}" has no ${direction} policy to add to`);
          policy.allow.push(rule);
          await applyPolicy(scenario.pods.find((p) => p.name === pod) as PodSpec);
        }
        if (step.stopServers) await servers.get(step.stopServers)?.stop();
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function clonePolicy(p: DirectionPolicy | undefined): DirectionPolicy | undefined {
  return p ? { deny: p.deny, allow: [...p.allow] } : undefined;
}

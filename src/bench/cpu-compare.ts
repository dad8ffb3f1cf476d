// Section 1: CPU per probe, pathprobe vs blackbox_exporter, for tcp, http and dns at one rate,
// with the bare Node.js exchange of each check beside them (socket-floor.ts) as the floor.
// Each process's utime+stime (/proc) over the same kind of window; the bench process that drives
// blackbox_exporter and serves the targets is counted for neither.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckKind } from '../catalog/types.js';
import { startAgentProcess, type AgentRunOptions } from './agent-process.js';
import { BLACKBOX_MODULES, driveBlackbox, startBlackbox } from './blackbox.js';
import { pathsOf, writeCatalog } from './catalog.js';
import { cpuSeconds, cpuTickSeconds } from './proc.js';
import { sumSamples } from './stats.js';
import type { Targets } from './targets.js';

export interface CpuSizes {
  /** Probes per second, for each tool and check. */
  rate: number;
  /** Measured window, seconds. */
  seconds: number;
  /**
   * The agent's time before the window, seconds: long enough for V8's optimising compiler to settle
   * (its background compiles go on for ~12 s after start at 200 probes/s and would otherwise be
   * counted as per-probe cost, which a long-running agent never pays; blackbox_exporter is compiled
   * ahead of time).
   */
  warmupS: number;
  /** blackbox_exporter's warm-up traffic before its window, seconds (no JIT to settle). */
  blackboxWarmupS: number;
}

/** One tool's figures over the window; tickCpuSeconds is utime+stime (10 ms ticks) as a cross-check. */
export interface ToolCpu {
  probes: number;
  ok: number;
  cpuSeconds: number;
  tickCpuSeconds: number;
  cpuMsPerProbe: number;
}

export interface CpuRow {
  check: CheckKind;
  rate: number;
  seconds: number;
  pathprobe: ToolCpu;
  blackbox: ToolCpu;
  /** pathprobe ÷ blackbox CPU per probe. */
  ratio: number;
  /** The bare Node.js exchange (socket-floor.ts): the least any Node.js prober spends per probe. */
  floor: ToolCpu;
  /** floor ÷ blackbox CPU per probe: the best ratio a Node.js prober could reach. */
  floorRatio: number;
}

const CHECKS: CheckKind[] = ['tcp', 'http', 'dns'];

async function scrape(url: string): Promise<string> {
  return (await fetch(`${url}metrics`)).text();
}

/** Both CPU readings of `pid`. */
function cpuNow(pid: number): { precise: number; ticks: number } {
  return { precise: cpuSeconds(pid), ticks: cpuTickSeconds(pid) };
}

async function measurePathprobe(check: CheckKind, sizes: CpuSizes, targets: Targets, dir: string, agentOptions: AgentRunOptions = {}): Promise<ToolCpu> {
  const catalog = join(dir, `cpu-${check}.yaml`);
  writeCatalog(catalog, pathsOf(`cpu-${check}`, check, sizes.rate, 1), targets);
  const agent = await startAgentProcess({ catalog, ...agentOptions });
  try {
    await sleep(sizes.warmupS * 1000); // every path has run many times; JIT settled
    const before = await scrape(agent.url);
    const cpu0 = cpuNow(agent.pid);
    await sleep(sizes.seconds * 1000);
    const cpu1 = cpuNow(agent.pid);
    const after = await scrape(agent.url);
    const probes = sumSamples(after, 'pathprobe_probes_total') - sumSamples(before, 'pathprobe_probes_total');
    const isOk = (l: string): boolean => l.includes('result="ok"');
    const ok = sumSamples(after, 'pathprobe_probes_total', isOk) - sumSamples(before, 'pathprobe_probes_total', isOk);
    const cpu = cpu1.precise - cpu0.precise;
    return { probes, ok, cpuSeconds: cpu, tickCpuSeconds: cpu1.ticks - cpu0.ticks, cpuMsPerProbe: (cpu * 1000) / probes };
  } finally {
    await agent.stop();
  }
}

/** The bare exchange of `check` at the bench's rate, in its own process (socket-floor.ts). */
async function measureFloor(check: CheckKind, sizes: CpuSizes, targets: Targets): Promise<ToolCpu> {
  const port = check === 'tcp' ? targets.tcpPort : check === 'http' ? targets.httpPort : targets.dnsPort;
  const script = fileURLToPath(new URL('./socket-floor.js', import.meta.url));
  const child = spawn(process.execPath, [script, check, String(port), String(sizes.rate), String(sizes.blackboxWarmupS + 3), String(sizes.seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  let cpu0: { precise: number; ticks: number } | undefined;
  for await (const line of lines) {
    if (line === 'window') cpu0 = cpuNow(child.pid!);
    const done = /^done (\d+) (\d+)$/.exec(line);
    if (done && cpu0) {
      const cpu1 = cpuNow(child.pid!);
      const probes = Number(done[1]);
      const cpu = cpu1.precise - cpu0.precise;
      await once(child, 'exit');
      return { probes, ok: Number(done[2]), cpuSeconds: cpu, tickCpuSeconds: cpu1.ticks - cpu0.ticks, cpuMsPerProbe: (cpu * 1000) / probes };
    }
  }
  throw new Error(`socket-floor ${check} ended without its figures`);
}

function blackboxTarget(check: CheckKind, t: Targets): string {
  if (check === 'tcp') return `127.0.0.1:${t.tcpPort}`;
  if (check === 'http') return `http://127.0.0.1:${t.httpPort}/`;
  return `127.0.0.1:${t.dnsPort}`;
}

/** Runs the comparison for every check kind. */
export async function cpuCompare(sizes: CpuSizes, targets: Targets, dir: string, agentOptions: AgentRunOptions = {}): Promise<CpuRow[]> {
  const rows: CpuRow[] = [];
  const blackbox = await startBlackbox(dir);
  try {
    for (const check of CHECKS) {
      const pathprobe = await measurePathprobe(check, sizes, targets, dir, agentOptions);
      const module = BLACKBOX_MODULES[check];
      const target = blackboxTarget(check, targets);
      await driveBlackbox(blackbox.url, module, target, sizes.rate, sizes.blackboxWarmupS); // warm-up
      const cpu0 = cpuNow(blackbox.pid);
      const driven = await driveBlackbox(blackbox.url, module, target, sizes.rate, sizes.seconds);
      const cpu1 = cpuNow(blackbox.pid);
      const cpu = cpu1.precise - cpu0.precise;
      const bb: ToolCpu = { probes: driven.sent, ok: driven.succeeded, cpuSeconds: cpu, tickCpuSeconds: cpu1.ticks - cpu0.ticks, cpuMsPerProbe: (cpu * 1000) / driven.sent };
      const floor = await measureFloor(check, sizes, targets);
      rows.push({
        check, rate: sizes.rate, seconds: sizes.seconds, pathprobe, blackbox: bb, ratio: pathprobe.cpuMsPerProbe / bb.cpuMsPerProbe,
        floor, floorRatio: floor.cpuMsPerProbe / bb.cpuMsPerProbe,
      });
    }
  } finally {
    await blackbox.stop();
  }
  return rows;
}

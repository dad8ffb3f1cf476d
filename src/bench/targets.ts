// The loopback targets the benchmark probes: a TCP server and an HTTP server answering 200 at once
// (one child process), an HTTP server answering after exactly 50 ms (another, so that load cannot
// delay its answer; both target-server.ts), and dnsmasq answering bench.test.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { findDnsmasq, startDnsmasq, type Dnsmasq } from './dnsmasq.js';

/** The name dnsmasq answers (A 127.0.0.1). */
export const DNS_NAME = 'bench.test';

/** How long the slow target holds each request. */
export const SLOW_TARGET_MS = 50;

export interface Targets {
  tcpPort: number;
  httpPort: number;
  dnsPort: number;
  slowPort: number;
  /** Serves the 50 ms target's own record: [arrival ms since the epoch, ms its answer left late]. */
  slowStatsPort: number;
  /** How the 50 ms target is scheduled: `SCHED_FIFO 50`, or `normal (why not)`. */
  slowScheduling: string;
  close(): Promise<void>;
}

/** Starts a target-server.ts child in `mode`; resolves with its ports once it listens. */
async function startTargetProcess(mode: 'load' | 'slow'): Promise<{ pid: number; ports: Record<string, number>; close(): Promise<void> }> {
  const script = fileURLToPath(new URL('./target-server.js', import.meta.url));
  const child = spawn(process.execPath, [script, mode], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await Promise.race([
    once(child.stdout!, 'data'),
    once(child, 'exit').then(() => { throw new Error(`${mode} target process exited`); }),
  ])) as [Buffer];
  return {
    pid: child.pid!,
    ports: JSON.parse(line.toString()) as Record<string, number>,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Puts the 50 ms target's threads in the real-time class (SCHED_FIFO, via util-linux's chrt), so
 * that its answer leaves at 50 ms however busy the 2 CPUs are with the agent under load: at normal
 * priority the target itself waited for a CPU, and that wait counted as the agent's error
 * (processing-phase error p99 11.8–21.1 ms in three runs at normal priority, 6.5–9.1 ms in three
 * real-time ones, on 2026-12-03; docs/performance.md lists which agent code each run had).
 * The target's work is bounded (it turns its event loop for the last 2 ms before each answer, 20
 * requests a second). Needs root or CAP_SYS_NICE; otherwise the target runs as it is and the
 * bench says so.
 */
function realTime(pid: number): string {
  const chrt = spawnSync('chrt', ['--all-tasks', '--fifo', '--pid', '50', String(pid)], { encoding: 'utf8' });
  if (chrt.error) return `normal (chrt: ${(chrt.error as NodeJS.ErrnoException).code ?? chrt.error.message})`;
  if (chrt.status !== 0) return `normal (chrt: ${chrt.stderr.trim().split('\n')[0] ?? `exit ${chrt.status}`})`;
  return 'SCHED_FIFO 50';
}

/** Starts every target; throws when dnsmasq is not installed. */
export async function startTargets(): Promise<Targets> {
  const binary = findDnsmasq();
  if (!binary) throw new Error('dnsmasq not found (Debian: apt-get install dnsmasq-base)');
  const load = await startTargetProcess('load');
  const slow = await startTargetProcess('slow');
  const slowScheduling = realTime(slow.pid);
  const dns: Dnsmasq = await startDnsmasq(binary, [`--address=/${DNS_NAME}/127.0.0.1`, '--cache-size=1000']);
  return {
    tcpPort: load.ports.tcp!,
    httpPort: load.ports.http!,
    dnsPort: dns.port,
    slowPort: slow.ports.slow!,
    slowStatsPort: slow.ports.slowStats!,
    slowScheduling,
    close: async () => {
      await Promise.all([dns.close(), load.close(), slow.close()]);
    },
  };
}

// A pathprobe agent in its own process (`pathprobe run`), as users run it: started on a catalog
// file, serving on a loopback port, its JSON log lines readable by the benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface AgentProcess {
  pid: number;
  /** http://127.0.0.1:PORT/ */
  url: string;
  /** Resolves with the first log line (parsed) whose msg starts with one of `msgs`, seen after this call. */
  waitForLog(msgs: string[], timeoutMs: number): Promise<{ line: Record<string, unknown>; seenAt: number }>;
  stop(): Promise<void>;
}

/** How the bench runs its agents (besides the catalog). */
export type AgentRunOptions = Omit<AgentProcessOptions, 'catalog'>;

export interface AgentProcessOptions {
  catalog: string;
  /** Directory for a V8 CPU profile (node --cpu-prof), when set. */
  cpuProfDir?: string;
  /** Extra node options for the agent (e.g. --max-semi-space-size=64). */
  nodeArgs?: string[];
  /** Extra `pathprobe run` options (e.g. --serve-nice=0). */
  agentArgs?: string[];
}

/** Agents running now: in sessions of their own, a Ctrl-C at the terminal does not reach them. */
const live = new Set<ChildProcess>();
let reaping = false;

/** Ends every live agent when the bench exits or is interrupted (then dies of the same signal). */
function reapOnExit(): void {
  if (reaping) return;
  reaping = true;
  const reap = (): void => { for (const c of live) c.kill('SIGKILL'); };
  process.once('exit', reap);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      reap();
      process.kill(process.pid, signal);
    });
  }
}

/** How long an agent may take from serving to ready (catalog loaded, every path scheduled). */
const READY_TIMEOUT_MS = 60_000;

/** Polls `/-/ready` every 50 ms until 200; throws if the agent exits or READY_TIMEOUT_MS passes. */
async function untilReady(url: string, exited: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited.then(() => { gone = true; });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!gone && Date.now() < deadline) {
    const status = await fetch(`${url}-/ready`).then(async (r) => { await r.arrayBuffer(); return r.status; }, () => 0);
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(gone ? 'agent exited before it was ready' : `agent not ready within ${READY_TIMEOUT_MS} ms`);
}

/** Starts `node dist/cli/main.js run --catalog F --listen 127.0.0.1:0`; resolves once it is ready. */
export async function startAgentProcess(options: AgentProcessOptions): Promise<AgentProcess> {
  const cli = fileURLToPath(new URL('../cli/main.js', import.meta.url));
  const nodeArgs = [...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : []), ...(options.nodeArgs ?? [])];
  // In a session of its own, as in a pod's CPU group of its own: `run` lowers its serving thread
  // to nice 19, which in the bench's session would rank below the targets, blackbox_exporter and
  // anything else busy there (on a loaded machine its results reached /metrics seconds late).
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, cli, 'run', '--catalog', options.catalog, '--listen', '127.0.0.1:0', ...(options.agentArgs ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  reapOnExit();
  live.add(child);
  child.once('exit', () => live.delete(child));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  const waiters = new Set<{ msgs: string[]; resolve: (v: { line: Record<string, unknown>; seenAt: number }) => void }>();
  let url: string | undefined;
  let onUrl: (() => void) | undefined;
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const seenAt = Date.now();
    if (process.env.PATHPROBE_BENCH_DEBUG) process.stderr.write(`agent ${child.pid}: ${text.slice(0, process.env.PATHPROBE_BENCH_DEBUG === 'full' ? undefined : 400)}\n`);
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    if (typeof line.url === 'string' && url === undefined) {
      url = line.url;
      onUrl?.();
    }
    for (const w of waiters) {
      if (w.msgs.some((m) => String(line.msg).startsWith(m))) {
        waiters.delete(w);
        w.resolve({ line, seenAt });
      }
    }
  });
  const exited = once(child, 'exit');
  await Promise.race([
    new Promise<void>((resolve) => { onUrl = resolve; }),
    exited.then(() => { throw new Error(`agent exited before serving: ${stderr}`); }),
  ]);
  // The URL is logged before the catalog is loaded and scheduled: on a loaded machine a section's
  // warm-up counted from here could end before the first probe (a smoke run once saw 0 probes).
  await untilReady(url!, exited);
  return {
    pid: child.pid!,
    url: url!,
    waitForLog: (msgs, timeoutMs) =>
      new Promise((resolve, reject) => {
        const waiter = { msgs, resolve: (v: { line: Record<string, unknown>; seenAt: number }) => { clearTimeout(timer); resolve(v); } };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no "${msgs.join('" or "')}" log line within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

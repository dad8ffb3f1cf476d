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
}

/** Starts `node dist/cli/main.js run --catalog F --listen 127.0.0.1:0`; resolves once it serves. */
export async function startAgentProcess(options: AgentProcessOptions): Promise<AgentProcess> {
  const cli = fileURLToPath(new URL('../cli/main.js', import.meta.url));
  const nodeArgs = [...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : []), ...(options.nodeArgs ?? [])];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, cli, 'run', '--catalog', options.catalog, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

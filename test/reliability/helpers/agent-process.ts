// The built agent as a real process (`node dist/cli/main.js run`), optionally wrapped in a shell
// (`ulimit -n`) or another launcher, with its JSON log lines collected and its URL found in them.
import { spawn, type ChildProcess } from 'node:child_process';
import { MAIN } from '../../helpers/run-main.js';
import { until } from '../../helpers/until.js';

/** What the test needs to tear things down. */
export interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface AgentProcessOptions {
  catalogPaths: string[];
  /** `--listen` address (default 127.0.0.1:0). */
  listen?: string;
  /** Extra `run` arguments (e.g. --log-level debug). */
  args?: string[];
  /** Shell prefix run before `exec node ...` (e.g. `ulimit -n 64`); a shell is used only with it, and the agent does not start if it fails. */
  shellPrefix?: string;
  /** Launcher argv put in front of everything (e.g. ['unshare', '--mount', '--']). */
  launcher?: string[];
  /** How long to wait for the agent to log its URL (default 30 s). */
  startTimeoutMs?: number;
}

export interface AgentProcess {
  child: ChildProcess;
  url: string;
  /** Everything the agent wrote on stdout so far. */
  stdout(): string;
  stderr(): string;
  /** The parsed JSON log lines so far. */
  lines(): Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Starts `pathprobe run` on 127.0.0.1:0 and resolves once it logs where it listens. */
export async function startAgentProcess(t: Teardown, options: AgentProcessOptions): Promise<AgentProcess> {
  const argv = [process.execPath, MAIN, 'run', '--listen', options.listen ?? '127.0.0.1:0', ...options.catalogPaths.flatMap((c) => ['--catalog', c]), ...(options.args ?? [])];
  const command = options.shellPrefix === undefined ? argv : ['/bin/sh', '-c', `${options.shellPrefix} && exec ${argv.map(quote).join(' ')}`];
  const full = [...(options.launcher ?? []), ...command];
  // Without tap's NODE_OPTIONS loader hooks: the agent runs as it does in production.
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  // In a session of its own, as a pod's container is in a CPU cgroup of its own: `run` gives its
  // serving thread nice 19 (below its probe thread), and with the kernel's autogroup a session is
  // such a group. In the test runner's session, that thread ranked below every busy test process
  // of a loaded CI machine and a /metrics scrape waited more than 20 s for a CPU.
  const child = spawn(full[0]!, full.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
  // Outside the test's process group, tap's kill on a timeout would not reach it: end it on exit.
  const reap = (): void => { child.kill('SIGKILL'); };
  process.once('exit', reap);
  child.once('exit', () => process.removeListener('exit', reap));
  let out = '';
  let err = '';
  // JSON log lines parsed once, as they arrive (lines() is polled while the agent runs).
  const parsed: Record<string, unknown>[] = [];
  let partial = '';
  child.stdout!.on('data', (d: Buffer) => {
    const text = d.toString();
    out += text;
    const lines = (partial + text).split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (line.startsWith('{')) parsed.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })));
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  const url = await until('the agent to log its URL', () => {
    if (child.exitCode !== null) throw new Error(`agent exited ${child.exitCode}: ${err}${out.slice(-2000)}`);
    return /"url":"(http:\/\/127\.0\.0\.1:\d+\/)"/.exec(out)?.[1];
  }, options.startTimeoutMs ?? 30_000);
  return {
    child,
    url,
    stdout: () => out,
    stderr: () => err,
    lines: () => parsed,
    exited,
  };
}

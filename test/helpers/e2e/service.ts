// A long-running child process for end-to-end tests (prometheus, alertmanager, the agent): its
// output is kept (bounded) for failure messages, and stop() ends it, SIGKILL after a grace time.
import { spawn, type ChildProcess } from 'node:child_process';

const MAX_OUTPUT = 64 * 1024;

/** A started program. */
export interface Service {
  name: string;
  child: ChildProcess;
  /** The last 64 KiB of stdout and stderr. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `command` with `args`; read its output with output() (e.g. to find a logged URL). */
export function startService(name: string, command: string, args: string[]): Service {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer): void => {
    output = (output + d.toString()).slice(-MAX_OUTPUT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (e) => keep(Buffer.from(`spawn error: ${e.message}\n`)));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('close', () => resolve());
  });
  return {
    name,
    child,
    output: () => output,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

// Long-running processes of a lab run (servers, dnsmasq, agents, the forwarder), each started in
// a network namespace with `ip netns exec`, which execs: the pid is the program's own.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { IP, LabCommandError } from './exec.js';

/** A started process and how to stop it. */
export interface LabProcess {
  name: string;
  child: ChildProcess;
  /** Last output lines (stdout and stderr), for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `program args` in `netns` and waits until its output matches `ready` (at most
 * `timeoutMs`). Output is also appended to `logFile`.
 */
export async function startInNetns(
  name: string,
  netns: string,
  program: string,
  args: string[],
  options: { ready: RegExp; logFile: string; timeoutMs?: number },
): Promise<LabProcess> {
  // Own process group: a Ctrl-C on the terminal reaches the lab, which stops agents first.
  const child = spawn(IP, ['netns', 'exec', netns, program, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  let tail = '';
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let isReady = false;
  const ready = new Promise<void>((resolve) => {
    const onData = (d: Buffer): void => {
      log.write(d);
      tail = (tail + d.toString()).slice(-4000);
      if (!isReady && options.ready.test(tail)) {
        isReady = true;
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
  const proc: LabProcess = {
    name,
    child,
    output: () => tail,
    async stop(graceMs = 3000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killed = await Promise.race([exited.then(() => true), sleep(graceMs, undefined, { ref: false }).then(() => false)]);
        if (!killed) child.kill('SIGKILL');
      }
      await exited;
      log.end();
    },
  };
  const outcome = await Promise.race([
    ready.then(() => 'ready' as const),
    exited.then(() => 'exited' as const),
    sleep(options.timeoutMs ?? 10_000, undefined, { ref: false }).then(() => 'timeout' as const),
  ]);
  if (outcome !== 'ready') {
    await proc.stop(0);
    throw new LabCommandError(`${name} in ${netns}`, `${outcome === 'exited' ? 'exited' : 'not ready in time'}: ${tail.trim()}`);
  }
  return proc;
}

#!/usr/bin/env node
// The `pathprobe` binary: wires the process (argv, streams, signals) to dispatch(). This is the
// only file that calls process.exit.
import { COMMANDS } from './commands.js';
import { dispatch } from './dispatch.js';

const controller = new AbortController();

/**
 * Ends the process by `signal` itself, as a process without handlers would end: no exit handlers
 * run, so a thread blocked in a system call (opening a FIFO that has no writer) cannot hold it
 * (process.exit waits for libuv's threads, and did hang there). A shell reports 143 or 130.
 */
function endBy(signal: NodeJS.Signals): void {
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
}

// Only a command that stops on the signal by itself gets a graceful stop; the others (validate,
// explain, render: short, or waiting on input) get no handler, so the first signal ends them.
if (COMMANDS.find((c) => c.name === process.argv[2])?.stopsOnSignal === true) {
  let signals = 0;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      // The first signal asks for a graceful stop; a second one means "now".
      if (++signals > 1) endBy(signal);
      else controller.abort(new Error(signal));
    });
  }
}

const code = await dispatch(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  stopSignal: controller.signal,
}, COMMANDS);
// Let buffered output reach the reader before exiting.
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
process.exit(code);

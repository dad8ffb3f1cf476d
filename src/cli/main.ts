#!/usr/bin/env node
// The `pathprobe` binary: wires the process (argv, streams, signals) to dispatch(). This is the
// only file that calls process.exit.
import { COMMANDS } from './commands.js';
import { dispatch } from './dispatch.js';

const controller = new AbortController();
// Only a command that stops on the signal by itself gets a graceful stop; for the others (validate,
// explain, render: short, or waiting on input) the first signal ends the process, as it would
// without a handler.
const graceful = COMMANDS.find((c) => c.name === process.argv[2])?.stopsOnSignal === true;
let signals = 0;
for (const [signal, number] of [['SIGTERM', 15], ['SIGINT', 2]] as const) {
  process.on(signal, () => {
    if (!graceful) process.exit(128 + number);
    // The first signal asks for a graceful stop; a second one means "now".
    if (++signals > 1) process.exit(130);
    controller.abort(new Error(signal));
  });
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

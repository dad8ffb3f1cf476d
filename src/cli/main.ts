#!/usr/bin/env node
// The `pathprobe` binary: wires the process (argv, streams, signals) to dispatch(). This is the
// only file that calls process.exit.
import { COMMANDS } from './commands.js';
import { dispatch } from './dispatch.js';

const controller = new AbortController();
let signals = 0;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
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

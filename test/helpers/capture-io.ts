// A CommandIO whose stdout/stderr are captured in strings, for running commands in-process.
import { PassThrough, Writable } from 'node:stream';
import type { CommandIO } from '../../src/cli/command.js';

export interface CapturedIO {
  io: CommandIO;
  stdout(): string;
  stderr(): string;
  /** Aborts io.stopSignal, like SIGTERM does for the real process. */
  stop(): void;
}

export function captureIO(cwd = process.cwd()): CapturedIO {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({ write(chunk: Buffer, _enc, done) { append(chunk.toString()); done(); } });
  const controller = new AbortController();
  return {
    io: {
      stdout: sink((s) => (out += s)),
      stderr: sink((s) => (err += s)),
      stdin: new PassThrough(),
      env: {},
      cwd,
      stopSignal: controller.signal,
    },
    stdout: () => out,
    stderr: () => err,
    stop: () => controller.abort(new Error('SIGTERM')),
  };
}

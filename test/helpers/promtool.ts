// Test helper: runs the real /usr/bin/promtool. Missing promtool fails under CI=true and skips
// (with the reason) elsewhere, as COMMON.md asks.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { unmet, type Guarded } from './need.js';

/** Path of the promtool binary (PROMTOOL overrides). */
export const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';

/** Why promtool cannot run, or undefined when it can. */
export function promtoolMissing(): string | undefined {
  try {
    accessSync(PROMTOOL, constants.X_OK);
    return undefined;
  } catch {
    return `${PROMTOOL} not found (apt-get install prometheus)`;
  }
}

/** One promtool run's outcome. */
export interface PromtoolRun {
  code: number;
  output: string;
}

/** Runs promtool with `args` from `cwd`, bounded by a timeout. */
export function promtool(args: string[], cwd = process.cwd()): Promise<PromtoolRun> {
  return new Promise((resolve) => {
    execFile(PROMTOOL, args, { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/**
 * Guards a test that needs promtool: returns true when it can run; otherwise fails the test
 * under CI and skips it elsewhere.
 */
export function needPromtool(t: Guarded): boolean {
  const missing = promtoolMissing();
  return missing === undefined || unmet(t, missing);
}

/** Pipes an exposition into `promtool check metrics`; resolves to its exit code and output. */
export function promtoolCheckMetrics(text: string): Promise<PromtoolRun> {
  return new Promise((resolve) => {
    const child = execFile(PROMTOOL, ['check', 'metrics'], { timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
    child.stdin?.end(text);
  });
}

// Runs Debian's `promtool check metrics` on an exposition. Missing promtool fails under CI=true.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';

/** Why promtool cannot run here, or undefined when it can. In CI a missing promtool is a failure. */
export function promtoolMissing(): string | undefined {
  if (existsSync(PROMTOOL)) return undefined;
  const why = `${PROMTOOL} not found (Debian package prometheus)`;
  if (process.env.CI === 'true') throw new Error(`${why}: required under CI`);
  return why;
}

/** Pipes `text` into `promtool check metrics`; resolves to its exit code and combined output. */
export function promtoolCheckMetrics(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    child.stdin.end(text);
  });
}

// The built binary (`node dist/cli/main.js`) for tests that run it as a real process.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** Throws when dist/ is not built; call it from `t.before`. */
export function requireBuiltMain(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} missing: run \`npm run build\` (npm test does)`);
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the binary to completion; SIGKILLed after `timeoutMs` (a hang then shows as code null). */
export function runMain(args: string[], timeoutMs = 30_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

// Test certificates made with the openssl binary: a throwaway CA and a server certificate for
// `svc.test` and 127.0.0.1 signed by it. Fails under CI=true if openssl is missing; skips otherwise.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { unmet } from './need.js';

export interface TestCerts {
  dir: string;
  caFile: string;
  ca: Buffer;
  key: Buffer;
  cert: Buffer;
  cleanup(): Promise<void>;
}

/** True when `openssl` runs. */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** True when openssl is installed; otherwise skips (fails under CI=true) through need.ts. */
export function needOpenssl(t: Test, why: string): boolean {
  if (hasOpenssl()) return true;
  unmet(t, `openssl is needed ${why}`);
  return false;
}

/** Creates the CA and the server certificate in a temp dir. */
export async function makeTestCerts(): Promise<TestCerts> {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-tls-'));
  const p = (f: string): string => join(dir, f);
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    run(['req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.crt'), '-subj', '/CN=pathprobe test CA', '-days', '2']);
    run(['req', ...ec, '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=svc.test']);
    await writeFile(p('ext.cnf'), 'subjectAltName=DNS:svc.test,IP:127.0.0.1\n');
    run(['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial',
      '-out', p('server.crt'), '-days', '2', '-extfile', p('ext.cnf')]);
    return {
      dir, caFile: p('ca.crt'), ca: await readFile(p('ca.crt')),
      key: await readFile(p('server.key')), cert: await readFile(p('server.crt')),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

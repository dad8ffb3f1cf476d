// Test helper: finds kubectl. Missing kubectl fails under CI=true and skips (with a reason) elsewhere.
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);
const CANDIDATES = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'];

/** Path of kubectl, or undefined. */
export async function findKubectl(): Promise<string | undefined> {
  for (const c of CANDIDATES) {
    try {
      await access(c, constants.X_OK);
      return c;
    } catch { /* next */ }
  }
  return undefined;
}

/** `kubectl kustomize DIR` parsed into objects. */
export async function kustomize(kubectl: string, dir: string): Promise<Array<Record<string, unknown>>> {
  const { stdout } = await run(kubectl, ['kustomize', dir], { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 });
  return parseAllDocuments(stdout).map((d) => d.toJS() as Record<string, unknown>).filter((o) => o !== null);
}

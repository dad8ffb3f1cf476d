// Test guards for what a test needs from the machine (root, a program). Outside CI a missing
// need skips the test with the reason; under CI=true it fails it: CI installs and runs as root,
// so a skip there would hide a test that never ran.
import { accessSync, constants } from 'node:fs';

/** The slice of a tap Test a guard uses. */
export interface Guarded {
  fail(msg: string): void;
  plan(n: number, why?: string): void;
}

/** Fails under CI, skips elsewhere; always returns false so callers can `return`. */
export function unmet(t: Guarded, why: string): false {
  if (process.env.CI === 'true') t.fail(`required under CI=true: ${why}`);
  else t.plan(0, `skipped: ${why}`);
  return false;
}

/** True when running as root (network namespaces, nftables). */
export function needRoot(t: Guarded): boolean {
  if (process.getuid?.() === 0) return true;
  return unmet(t, 'needs root (network namespaces and nftables)');
}

/** True when every program is executable; `hint` names the package that installs them. */
export function needPrograms(t: Guarded, programs: string[], hint: string): boolean {
  for (const program of programs) {
    try {
      accessSync(program, constants.X_OK);
    } catch {
      return unmet(t, `${program} not found (${hint})`);
    }
  }
  return true;
}

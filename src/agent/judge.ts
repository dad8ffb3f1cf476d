// Whether a probe result is what the catalog declared: the one rule behind `up`.
import type { Expect } from '../catalog/types.js';
import type { ResultClass } from '../classify/result-class.js';

/**
 * reachable: up only on `ok`. blocked: up on `timeout` or `unreachable` (packets dropped or
 * rejected on the way); `ok` is an isolation breach and `refused`/`reset` mean packets reached
 * the destination, so they are not blocked either; other failures prove nothing, so not up.
 */
export function behavedAsDeclared(expect: Expect, result: ResultClass): boolean {
  if (expect === 'reachable') return result === 'ok';
  return result === 'timeout' || result === 'unreachable';
}

// Compiles an http check's bodyMatch. The pattern comes from the catalog but runs on bytes the
// target chose: a catastrophic pattern (`^(a+)+$`) on a hostile body would backtrack for hours and,
// being synchronous, stall every probe. V8 can switch such a match to its linear-time engine once
// backtracking gets excessive; this turns that on, process-wide, before the first pattern compiles.
import { setFlagsFromString } from 'node:v8';

let guarded = false;

/** `new RegExp(source)` with V8's excessive-backtracking fallback enabled; throws on a bad pattern. */
export function compileBodyMatch(source: string): RegExp {
  if (!guarded) {
    // Read when a pattern compiles, so setting it at run time takes effect for every later pattern.
    setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
    guarded = true;
  }
  return new RegExp(source);
}

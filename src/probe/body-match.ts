// Compiles an http check's bodyMatch. The pattern comes from the catalog but runs on bytes the
// target chose: a catastrophic pattern (`^(a+)+$`) on a hostile body would backtrack for hours and,
// being synchronous, stall every probe. V8 can switch such a match to its linear-time engine once
// backtracking gets excessive; this turns that on, process-wide, before the first pattern compiles.
// A pattern that engine cannot run (lookahead, lookbehind, a backreference, a repeat count beyond
// its limit) would have no such fallback, so it is refused: by the catalog check, and here.
import { setFlagsFromString } from 'node:v8';

let guarded = false;

function guard(): void {
  if (guarded) return;
  // Read when a pattern compiles, so setting them at run time takes effect for every later
  // pattern; the second only makes the linear engine's `l` flag available, for the check below.
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  setFlagsFromString('--enable-experimental-regexp-engine');
  guarded = true;
}

/**
 * compile()'s answers by source: the catalog check, and prepare() for a path whose other settings
 * are read per probe (a tls.caFile), would otherwise compile each pattern twice, every time. A
 * RegExp without the g or y flag keeps no state between test() calls, so one can be shared. At
 * most COMPILED_MAX entries (reloads may bring new patterns): past it the map starts over.
 */
const compiledBySource = new Map<string, RegExp | string>();
const COMPILED_MAX = 1024;

/** The compiled pattern, or why `source` cannot be a bodyMatch (the catalog's message). */
function compile(source: string): RegExp | string {
  let compiled = compiledBySource.get(source);
  if (compiled === undefined) {
    if (compiledBySource.size >= COMPILED_MAX) compiledBySource.clear();
    compiled = compileUncached(source);
    compiledBySource.set(source, compiled);
  }
  return compiled;
}

function compileUncached(source: string): RegExp | string {
  guard();
  let pattern: RegExp;
  try {
    pattern = new RegExp(source);
  } catch (e) {
    return `bodyMatch is not a valid regular expression: ${(e as Error).message}`;
  }
  try {
    new RegExp(source, 'l');
  } catch {
    return 'bodyMatch must be matchable in linear time, so that no response body can stall the agent: '
      + 'no lookahead, lookbehind or backreference, and no repeat count over a few hundred';
  }
  return pattern;
}

/** Why `source` cannot be a bodyMatch (the catalog's message), or undefined when it can. */
export function bodyMatchProblem(source: string): string | undefined {
  const compiled = compile(source);
  return typeof compiled === 'string' ? compiled : undefined;
}

/** `new RegExp(source)` with V8's excessive-backtracking fallback enabled; throws on a pattern bodyMatchProblem refuses. */
export function compileBodyMatch(source: string): RegExp {
  const compiled = compile(source);
  if (typeof compiled === 'string') throw new SyntaxError(compiled);
  return compiled;
}

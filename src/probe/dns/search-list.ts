// The order glibc's res_search tries names in: a trailing dot means absolute (one query); a name
// with at least `ndots` dots is tried as-is first, then with each search domain; a name with
// fewer dots (`kubernetes.default` under a pod's ndots:5) tries the search domains first and
// itself last.
import { MAX_NAME_BYTES } from './message.js';

/** The names to query, in order, and whether the first is the as-is name tried first. */
export interface SearchPlan {
  candidates: string[];
  /** True when the name itself was tried before the search domains (its failure is the one reported). */
  asIsFirst: boolean;
  absolute: boolean;
}

/** Expands `name` with the search list exactly as glibc's res_search orders it. */
export function searchPlan(name: string, search: readonly string[], ndots: number): SearchPlan {
  if (name.endsWith('.')) return { candidates: [name.slice(0, -1)], asIsFirst: true, absolute: true };
  const dots = [...name].filter((c) => c === '.').length;
  // A name that would exceed 255 bytes with a domain appended cannot be asked; it is skipped.
  const expanded = search
    .filter((d) => d !== '')
    .map((d) => `${name}.${d}`)
    .filter((n) => n.length + 2 <= MAX_NAME_BYTES);
  if (dots >= ndots) return { candidates: dedupe([name, ...expanded]), asIsFirst: true, absolute: false };
  return { candidates: dedupe([...expanded, name]), asIsFirst: false, absolute: false };
}

function dedupe(names: string[]): string[] {
  return [...new Set(names.map((n) => n.toLowerCase()))];
}

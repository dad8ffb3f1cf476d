// The order glibc's res_search tries names in: a trailing dot means absolute (one query); a name
// with at least `ndots` dots is tried as-is first, then with each search domain; a name with
// fewer dots (`kubernetes.default` under a pod's ndots:5) tries the search domains first and
// itself last.
import { nameLabels } from './encode.js';

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
  // A name that cannot be asked with a domain appended (over 255 bytes, a label over 63 bytes or
  // empty, as a bad `search a..b` line gives) is skipped, as res_search skips it.
  const expanded = search
    .filter((d) => d !== '')
    .map((d) => `${name}.${d}`)
    .filter(encodable);
  if (dots >= ndots) return { candidates: dedupe([name, ...expanded]), asIsFirst: true, absolute: false };
  return { candidates: dedupe([...expanded, name]), asIsFirst: false, absolute: false };
}

/** Whether `name` fits a DNS question: labels of 1–63 bytes, at most 255 bytes in all (UTF-8). */
function encodable(name: string): boolean {
  try {
    nameLabels(name);
    return true;
  } catch {
    return false;
  }
}

function dedupe(names: string[]): string[] {
  return [...new Set(names.map((n) => n.toLowerCase()))];
}

// How result classes look on the page: six colour families from the Okabe–Ito palette (safe for
// the common colour-vision deficiencies), always paired with the class name as text.
import { RESULT_CLASSES, type ResultClass } from '../../classify/result-class.js';

/** A colour family of result classes, named for what it tells the operator. */
export interface ResultFamily {
  id: 'ok' | 'drop' | 'rejected' | 'dns' | 'app' | 'error';
  /** What happened, and what to check first. */
  label: string;
  classes: readonly ResultClass[];
}

/** Families in legend order; every result class is in exactly one. */
export const RESULT_FAMILIES: readonly ResultFamily[] = [
  { id: 'ok', label: 'connected, answered or resolved', classes: ['ok'] },
  { id: 'drop', label: 'dropped by the network: check NetworkPolicy', classes: ['timeout', 'unreachable'] },
  { id: 'rejected', label: 'reached the host, which said no: check port, pod, endpoints', classes: ['refused', 'reset'] },
  { id: 'dns', label: 'name resolution failed', classes: ['dns_timeout', 'dns_nxdomain', 'dns_error'] },
  { id: 'app', label: 'connected; TLS or the application failed', classes: ['tls_error', 'http_timeout', 'http_status'] },
  { id: 'error', label: 'other error: see the agent log', classes: ['error'] },
];

const FAMILY_OF = new Map<ResultClass, ResultFamily>(
  RESULT_FAMILIES.flatMap((f) => f.classes.map((c) => [c, f] as const)),
);

/** The family of a result class. */
export function familyOf(result: ResultClass): ResultFamily {
  const family = FAMILY_OF.get(result);
  if (!family) throw new Error(`result class ${result} has no colour family`);
  return family;
}

/** CSS classes of an element coloured by `result` (`fam-pending` when there is no result yet). */
export function resultClasses(result: ResultClass | null): string {
  return result === null ? 'fam-pending' : `fam-${familyOf(result).id} rc-${result}`;
}

// Fail at load time, not on a page view, if a class was added without a family.
for (const c of RESULT_CLASSES) familyOf(c);

// Kubernetes label selectors compiled once into predicates (metav1.LabelSelector semantics:
// matchLabels and matchExpressions are ANDed; an empty selector `{}` selects everything).
import { checkLabelKey, checkLabelValue } from '../catalog/k8s-names.js';

/** Labels of a pod or namespace. */
export type Labels = Readonly<Record<string, string>>;

/** The four set-based operators of metav1.LabelSelectorRequirement. */
export const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export type SelectorOperator = (typeof SELECTOR_OPERATORS)[number];

/** A label selector as written in YAML. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: SelectorOperator; values?: string[] }[];
}

/** A compiled selector. `matchesAll` is true for `{}`. */
export interface CompiledSelector {
  readonly matchesAll: boolean;
  matches(labels: Labels): boolean;
  /** The normalised selector, for display and for re-rendering YAML. */
  readonly source: LabelSelector;
}

/** A problem found while compiling, with the path inside the selector. */
export interface SelectorProblem {
  path: (string | number)[];
  message: string;
}

/** Selects everything: what `{}` compiles to. */
export const SELECT_ALL: CompiledSelector = { matchesAll: true, matches: () => true, source: {} };

/** Selects nothing: used where an invalid selector must not accidentally allow traffic. */
export const SELECT_NONE: CompiledSelector = { matchesAll: false, matches: () => false, source: {} };

type Requirement = (labels: Labels) => boolean;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Compiles a label selector. `null`/`undefined` is the caller's business (absent differs from
 * empty in a NetworkPolicy peer); here `{}` selects everything. Invalid parts are reported and the
 * selector then selects nothing.
 */
// Label keys and values are checked as the API server validates them (catalog/k8s-names.ts): a
// selector that breaks the syntax makes the API reject the whole object, so evaluating it as
// written could call a path allowed by a policy that can never exist.

export function compileSelector(raw: unknown): { selector: CompiledSelector; problems: SelectorProblem[] } {
  const problems: SelectorProblem[] = [];
  if (!isPlainObject(raw)) {
    return { selector: SELECT_NONE, problems: [{ path: [], message: 'a label selector must be a mapping' }] };
  }
  const requirements: Requirement[] = [];
  const source: LabelSelector = {};
  if (raw.matchLabels !== undefined && raw.matchLabels !== null) {
    if (!isPlainObject(raw.matchLabels)) {
      problems.push({ path: ['matchLabels'], message: 'matchLabels must be a mapping of strings' });
    } else {
      const wanted: Record<string, string> = {};
      for (const [k, v] of Object.entries(raw.matchLabels)) {
        if (typeof v !== 'string') {
          problems.push({ path: ['matchLabels', k], message: `label value of "${k}" must be a string (quote it)` });
          continue;
        }
        const invalid = checkLabelKey(k) ?? checkLabelValue(v, k);
        if (invalid !== undefined) {
          problems.push({ path: ['matchLabels', k], message: invalid });
          continue;
        }
        wanted[k] = v;
        requirements.push((l) => l[k] === v);
      }
      source.matchLabels = wanted;
    }
  }
  if (raw.matchExpressions !== undefined && raw.matchExpressions !== null) {
    if (!Array.isArray(raw.matchExpressions)) {
      problems.push({ path: ['matchExpressions'], message: 'matchExpressions must be a list' });
    } else {
      source.matchExpressions = [];
      raw.matchExpressions.forEach((expr: unknown, i: number) => {
        const compiled = compileRequirement(expr, ['matchExpressions', i], problems);
        if (compiled) {
          requirements.push(compiled.test);
          source.matchExpressions!.push(compiled.source);
        }
      });
    }
  }
  if (problems.length > 0) return { selector: { ...SELECT_NONE, source }, problems };
  if (requirements.length === 0) return { selector: { ...SELECT_ALL, source }, problems };
  const matches = (labels: Labels): boolean => {
    for (const r of requirements) if (!r(labels)) return false;
    return true;
  };
  return { selector: { matchesAll: false, matches, source }, problems };
}

function compileRequirement(
  raw: unknown,
  path: (string | number)[],
  problems: SelectorProblem[],
): { test: Requirement; source: NonNullable<LabelSelector['matchExpressions']>[number] } | undefined {
  if (!isPlainObject(raw) || typeof raw.key !== 'string' || raw.key === '') {
    problems.push({ path, message: 'a match expression needs a string key' });
    return undefined;
  }
  const key = raw.key;
  const keyProblem = checkLabelKey(key);
  if (keyProblem !== undefined) {
    problems.push({ path: [...path, 'key'], message: keyProblem });
    return undefined;
  }
  const op = raw.operator;
  if (typeof op !== 'string' || !(SELECTOR_OPERATORS as readonly string[]).includes(op)) {
    problems.push({ path: [...path, 'operator'], message: `operator must be one of ${SELECTOR_OPERATORS.join(', ')}` });
    return undefined;
  }
  const values = raw.values === undefined || raw.values === null ? [] : raw.values;
  if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) {
    problems.push({ path: [...path, 'values'], message: 'values must be a list of strings' });
    return undefined;
  }
  const valueProblem = (values as string[]).map((v) => checkLabelValue(v, key)).find((p) => p !== undefined);
  if (valueProblem !== undefined) {
    problems.push({ path: [...path, 'values'], message: valueProblem });
    return undefined;
  }
  const set = new Set(values as string[]);
  const operator = op as SelectorOperator;
  // LabelSelectorRequirement: In/NotIn need a non-empty values list, Exists/DoesNotExist none.
  if ((operator === 'In' || operator === 'NotIn') && set.size === 0) {
    problems.push({ path: [...path, 'values'], message: `operator ${operator} needs at least one value` });
    return undefined;
  }
  if ((operator === 'Exists' || operator === 'DoesNotExist') && set.size > 0) {
    problems.push({ path: [...path, 'values'], message: `operator ${operator} takes no values` });
    return undefined;
  }
  const source = set.size > 0 ? { key, operator, values: [...set] } : { key, operator };
  switch (operator) {
    case 'In':
      return { test: (l) => l[key] !== undefined && set.has(l[key]), source };
    case 'NotIn':
      // NotIn also matches objects that do not carry the key at all.
      return { test: (l) => l[key] === undefined || !set.has(l[key]), source };
    case 'Exists':
      return { test: (l) => l[key] !== undefined, source };
    case 'DoesNotExist':
      return { test: (l) => l[key] === undefined, source };
  }
}

/** A selector made of matchLabels only (used for suggestions and synthetic selections). */
export function selectorFromLabels(labels: Labels): CompiledSelector {
  return compileSelector({ matchLabels: { ...labels } }).selector;
}

/** Short human form: `app=vault,tier in (a,b)`; `{}` for select-all. */
export function describeSelector(s: LabelSelector): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${(e.values ?? []).join(',')})`);
  }
  return parts.length === 0 ? '{}' : parts.join(',');
}

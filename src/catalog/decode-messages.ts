// Wording of the strict decoder's messages: what a node is, what a schema kind expects, and
// suggestions for misspelt keys.
import { isAlias, isMap, isScalar, isSeq, type Document } from 'yaml';
import { clip } from './k8s-names.js';

/** `unknown key "x"`, with the nearest known key as a suggestion or the list of known keys. */
export function unknownKeyMessage(key: string, known: string[]): string {
  const near = known.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
  return near
    ? `unknown key "${clip(key)}"; did you mean "${near}"?`
    : `unknown key "${clip(key)}"; expected one of: ${known.join(', ')}`;
}

/** Levenshtein distance, bounded to short keys (longer inputs simply get no suggestion). */
function editDistance(a: string, b: string): number {
  if (a.length > 40 || b.length > 40) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? Infinity;
}

/** How a schema kind reads in "expected ..." messages. */
export function kindName(kind: string): string {
  const names: Record<string, string> = {
    Object: 'a mapping', Record: 'a mapping', Array: 'a list', String: 'a string',
    Integer: 'an integer', Boolean: 'true or false', Literal: 'a string',
  };
  return names[kind] ?? kind;
}

/** How a YAML node reads in "..., got ..." messages. */
export function describe(node: unknown, ctx: { doc: Document }): string {
  if (isAlias(node)) return describe(node.resolve(ctx.doc), ctx);
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (!isScalar(node)) return 'nothing';
  const v = node.value;
  if (v === null) return 'nothing';
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  if (typeof v === 'string') return `the string "${clip(v)}"`;
  return 'an unsupported value';
}

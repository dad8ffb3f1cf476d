// Seeded, deterministic mutations of catalog text for the fuzz test: structural ones (a value of
// the wrong type, a key dropped or added, huge or unicode values, deep nesting) applied to the
// parsed example, and textual ones (alias bombs, duplicate keys, binary garbage, truncation).
import { parse, stringify } from 'yaml';

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same cases everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, list: readonly T[]): T => list[int(r, list.length)] as T;

const UNICODE = ['é', 'ü', '名前', '🙂', '\u202e', '\u200b', '\ufeff', '\u0000', '\ud800', 'İ', 'ǅ', '\u2028', 'Ω', '\t', '\r'];

/** A value of some type, sometimes huge or hostile. */
function oddValue(r: Rand): unknown {
  switch (int(r, 14)) {
    case 0: return int(r, 2) === 0 ? null : undefined;
    case 1: return r() < 0.5;
    case 2: return pick(r, [0, -1, 65536, 1e308, -0, 3.5, Number.MAX_SAFE_INTEGER + 2]);
    case 3: return [];
    case 4: return {};
    case 5: return 'x'.repeat(pick(r, [64, 1025, 70_000, 600_000]));
    case 6: return Array.from({ length: 1 + int(r, 40) }, () => pick(r, UNICODE)).join('');
    case 7: return Array.from({ length: pick(r, [2, 100, 2_000, 20_000]) }, (_, i) => `item-${i}`);
    case 8: return Object.fromEntries(Array.from({ length: pick(r, [2, 70, 1_500]) }, (_, i) => [`k${i}`, `v${i}`]));
    case 9: return nested(r, pick(r, [3, 30, 63, 70, 500]));
    case 10: return pick(r, ['30s', '0s', '-1s', '1h1h', '999999999999h', 'tcp', 'http', 'dns', 'blocked', '__proto__', 'constructor']);
    case 11: return pick(r, ['http://[::1', 'http://a:b@c/', 'file:///etc/passwd', 'a:99999', ':80', '127.0.0.1:0', 'x'.repeat(300) + ':1']);
    case 12: return JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as unknown;
    default: return '<script>alert(1)</script>"\'&';
  }
}

function nested(r: Rand, depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = r() < 0.5 ? [v] : { n: v };
  return v;
}

/** Every [container, key] reachable in a plain value, for picking a spot to mutate. */
function spots(value: unknown, out: Array<[Record<string, unknown> | unknown[], string | number]> = []) {
  if (Array.isArray(value)) value.forEach((v, i) => (out.push([value, i]), spots(v, out)));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push([value as Record<string, unknown>, k]), spots(v, out);
  }
  return out;
}

const KEYS = ['name', 'from', 'to', 'check', 'expect', 'control', 'interval', 'timeout', 'http', 'dns', 'tls', 'labels', 'namespaces', 'bogus', ''];

function structural(r: Rand, text: string): { name: string; text: string } {
  const doc = parse(text) as unknown;
  const all = spots(doc);
  const rounds = 1 + int(r, 3);
  const names: string[] = [];
  for (let i = 0; i < rounds && all.length > 0; i++) {
    const [container, key] = pick(r, all);
    const op = int(r, 3);
    if (op === 0) {
      names.push('wrong-value');
      (container as Record<string | number, unknown>)[key] = oddValue(r);
    } else if (op === 1) {
      names.push('drop-key');
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete container[key as string];
    } else {
      names.push('extra-key');
      if (!Array.isArray(container)) container[pick(r, KEYS) + (r() < 0.3 ? 'x' : '')] = oddValue(r);
      else container.push(oddValue(r));
    }
  }
  return { name: names.join('+'), text: stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 }) };
}

/** "Billion laughs": ten levels of ten-fold aliases, spliced in as a path entry or a value. */
function aliasBomb(r: Rand): string {
  const levels = 3 + int(r, 8);
  let s = `x0: &a0 ["lol"]\n`;
  for (let i = 1; i <= levels; i++) s += `x${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
  return s;
}

function insertAt(text: string, at: number, piece: string): string {
  return text.slice(0, at) + piece + text.slice(at);
}

/** A random line boundary of the text. */
function lineStart(r: Rand, text: string): number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return pick(r, starts);
}

function textual(r: Rand, text: string): { name: string; text: string } {
  const lines = text.split('\n');
  switch (int(r, 12)) {
    case 0: return { name: 'truncate', text: text.slice(0, int(r, text.length)) };
    case 1: {
      const garbage = Buffer.from(Array.from({ length: 1 + int(r, 64) }, () => int(r, 256))).toString('latin1');
      return { name: 'binary-garbage', text: insertAt(text, int(r, text.length), garbage) };
    }
    case 2: {
      const i = int(r, lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      return { name: 'duplicate-line', text: lines.join('\n') };
    }
    case 3: return { name: 'alias-bomb-top', text: `${text}\n${aliasBomb(r)}` };
    case 4: {
      const bomb = aliasBomb(r).replace(/^/gm, '    ');
      const entry = `  - name: bomb\n    from: {namespace: x}\n    to: a:1\n    check: tcp\n    labels:\n${bomb}`;
      return { name: 'alias-bomb-path', text: text.replace(/^paths:\n/m, `paths:\n${entry}`) };
    }
    case 5: {
      const depth = pick(r, [50, 64, 65, 1_000, 100_000]);
      const open = pick(r, ['[', '{a: ', '- ']);
      return { name: `deep-${depth}`, text: insertAt(text, lineStart(r, text), `deep: ${open.repeat(depth)}\n`) };
    }
    case 6: {
      const i = int(r, lines.length);
      lines[i] = (lines[i] ?? '').replace(/^( *)/, (m) => pick(r, ['', '\t', `${m} `, m.slice(1), `${m}${m}`]));
      return { name: 'reindent', text: lines.join('\n') };
    }
    case 7: return { name: 'tags', text: insertAt(text, lineStart(r, text), pick(r, ['x: !!binary aGVsbG8=\n', 'x: !custom 1\n', '%YAML 1.1\n---\n', '--- !!set\n', 'x: !!js/function "f"\n', '<<: *nope\n', '? [a, b]\n: c\n', '---\n'])) };
    case 8: return { name: 'anchor-soup', text: text.replace(/: (\S+)$/gm, (m, v: string) => (r() < 0.3 ? `: &a${int(r, 5)} ${v}` : r() < 0.2 ? `: *a${int(r, 5)}` : m)) };
    case 9: return { name: 'bytes-flip', text: text.split('').map((c) => (r() < 0.02 ? String.fromCharCode(int(r, 0x3000)) : c)).join('') };
    case 10: return { name: 'huge-file', text: `${text}\n# ${'z'.repeat(pick(r, [1_000_000, 4 * 1024 * 1024]))}\n` };
    default: {
      const a = int(r, text.length);
      return { name: 'cut-range', text: text.slice(0, a) + text.slice(a + int(r, 200)) };
    }
  }
}

/** One mutation of `text`, chosen and applied by the PRNG; the name says what was done. */
export function mutate(r: Rand, text: string): { name: string; text: string } {
  if (r() < 0.5) {
    try {
      return structural(r, text);
    } catch {
      // A structural mutation that the yaml package itself refuses to write is a textual one.
    }
  }
  const first = textual(r, text);
  if (r() < 0.25) {
    const second = textual(r, first.text);
    return { name: `${first.name}+${second.name}`, text: second.text };
  }
  return first;
}

// Fuzzes the catalog loader with seeded mutations of the example catalogs: it must never throw,
// never take long, and always answer with a valid catalog or located (file:line:col) errors.
// CI runs FUZZ_CASES (default 3000); FUZZ_CASES=50000 is the full size, FUZZ_SEED picks a stream.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { formatProblem, loadCatalogText } from '../../src/catalog/load.js';
import { LIMITS } from '../../src/catalog/schema.js';
import type { CatalogLoadResult } from '../../src/catalog/types.js';
import { mutate, prng } from './catalog-mutations.js';

const CASES = Number(process.env.FUZZ_CASES ?? 3000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
/** Per-case bound. Cost is linear in size under the 4 MiB cap: a legitimate 2.5 MB catalog of
 * 10,000 paths loads in ~2 s here, the worst pathological 4 MiB input in ~5 s. */
const CASE_BOUND_MS = 10_000;

const examplesDir = fileURLToPath(new URL('../../probes/examples/', import.meta.url));
const examples = readdirSync(examplesDir).filter((n) => n.endsWith('.yaml')).sort()
  .map((n) => readFileSync(`${examplesDir}${n}`, 'utf8'));

/** What is wrong with a load result, or undefined when it keeps the loader's promise. */
function brokenPromise(result: CatalogLoadResult, text: string): string | undefined {
  if (result.catalog) {
    if (result.errors.length > 0) return 'a catalog together with errors';
    if (result.catalog.paths.some((p) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(@[a-z0-9-]+)?$/.test(p.name))) return 'a path name that is not a label';
    return undefined;
  }
  if (result.errors.length === 0) return 'neither a catalog nor an error';
  if (result.errors.length > LIMITS.maxProblems + 1) return `${result.errors.length} errors: unbounded`;
  const lineCount = text.split(/\r\n|\r|\n/).length;
  for (const e of result.errors) {
    if (e.file !== 'fuzz.yaml') return `an error naming ${e.file}`;
    if (!Number.isInteger(e.line) || !Number.isInteger(e.col) || e.line < 1 || e.col < 1) return `an error without a position: ${formatProblem(e)}`;
    if (e.line > lineCount + 1) return `an error at line ${e.line} of a ${lineCount}-line file`;
    if (typeof e.message !== 'string' || e.message.length === 0) return 'an empty message';
    if (e.message.length > 2_000) return `a ${e.message.length}-character message (input not clipped)`;
    if (!/^fuzz\.yaml:\d+:\d+: \S/.test(formatProblem(e))) return `a badly formatted problem: ${formatProblem(e)}`;
  }
  return undefined;
}

t.test(`${CASES} seeded mutations of the example catalogs (seed ${SEED})`, async (t) => {
  t.ok(examples.length >= 3, 'the example catalogs are the corpus');
  const random = prng(SEED);
  const failures: string[] = [];
  const kinds = new Map<string, number>();
  let valid = 0;
  let slowest = { ms: 0, name: '' };
  const started = performance.now();
  for (let i = 0; i < CASES; i++) {
    const base = examples[i % examples.length] as string;
    const { name, text } = mutate(random, base);
    for (const k of name.split('+')) kinds.set(k.replace(/-\d+$/, ''), (kinds.get(k.replace(/-\d+$/, '')) ?? 0) + 1);
    const t0 = performance.now();
    let problem: string | undefined;
    try {
      const result = loadCatalogText(text, 'fuzz.yaml');
      problem = brokenPromise(result, text);
      if (result.catalog) valid++;
    } catch (e) {
      problem = `threw ${(e as Error).stack ?? String(e)}`;
    }
    const ms = performance.now() - t0;
    if (ms > slowest.ms) slowest = { ms, name: `#${i} ${name}` };
    if (ms > CASE_BOUND_MS) problem ??= `took ${ms.toFixed(0)} ms`;
    if (problem && failures.length < 10) failures.push(`case #${i} (${name}): ${problem}\n--- input (first 300 chars) ---\n${JSON.stringify(text.slice(0, 300))}`);
  }
  const totalMs = performance.now() - started;
  t.same(failures, [], 'every case: a valid catalog or located errors, no throw, within the bound');
  t.ok(valid > 0 && valid < CASES, `both outcomes occur (${valid} valid)`);
  for (const kind of ['wrong-value', 'drop-key', 'extra-key', 'alias-bomb-top', 'alias-bomb-path', 'deep', 'duplicate-line', 'binary-garbage', 'truncate', 'huge-file']) {
    if (CASES >= 1000) t.ok((kinds.get(kind) ?? 0) > 0, `mutation ${kind} was tried`);
  }
  t.comment(`fuzz: ${CASES} cases, ${valid} valid, ${CASES - valid} rejected with located errors, ` +
    `${(totalMs / 1000).toFixed(1)} s total, slowest ${slowest.ms.toFixed(0)} ms (${slowest.name})`);
  t.comment(`mutations: ${[...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
});

t.test('deep nesting is refused at the parser, quickly and located', async (t) => {
  for (const open of ['[', '{a: ', '- ']) {
    const text = `apiVersion: pathprobe/v1\nkind: PathCatalog\npaths:\n  ${open.repeat(1_000_000)}\n`;
    const t0 = performance.now();
    const r = loadCatalogText(text, 'deep.yaml');
    const ms = performance.now() - t0;
    t.ok(ms < 1500, `${JSON.stringify(open)} x 1e6 answered in ${ms.toFixed(0)} ms`);
    t.match(r.errors, [{ line: 4, message: `YAML is nested more than ${LIMITS.maxYamlDepth} levels deep; a catalog needs far fewer` }]);
  }
});

t.test('a YAML message quoting a huge token is clipped', async (t) => {
  // Found by the 50,000-case run: a 1 MB scalar where none may stand was quoted whole.
  const r = loadCatalogText(`apiVersion: pathprobe/v1\nkind: PathCatalog\npaths: []\n- x\n${'z'.repeat(1_000_000)}\n`, 'big.yaml');
  t.ok(r.errors.length > 0);
  t.ok(r.errors.every((e) => e.message.length <= 220), `longest message ${Math.max(...r.errors.map((e) => e.message.length))} characters`);
});

t.test('problems are bounded: past the limit one line counts the rest', async (t) => {
  const keys = Array.from({ length: 1_500 }, (_, i) => `  bogus${i}: 1`).join('\n');
  const r = loadCatalogText(`apiVersion: pathprobe/v1\nkind: PathCatalog\npaths: []\ndefaults:\n${keys}\n`, 'many.yaml');
  t.equal(r.errors.length, LIMITS.maxProblems + 1);
  t.match(r.errors.at(-1), { message: `${1_500 - LIMITS.maxProblems} more problems not shown; fix these first` });
});

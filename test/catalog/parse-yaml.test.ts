// Structural decoding: strict keys, types, enums, bounds, duplicate keys, one document per file,
// alias budget. Each case pins the exact message, line:col and YAML path.
import t from 'tap';
import { parseCatalogFile } from '../../src/catalog/parse-yaml.js';
import { LIMITS } from '../../src/catalog/schema.js';
import { catalogWith, loadFixture } from './fixtures.js';

const dns1123 = "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit";

const CASES: Array<{ fixture: string; errors: string[] }> = [
  { fixture: 'unknown-key.yaml', errors: ['8:5 paths[0].tiemout: unknown key "tiemout"; did you mean "timeout"?'] },
  { fixture: 'duplicate-key.yaml', errors: ['8:5 paths[0].check: duplicate key "check"'] },
  { fixture: 'missing-key.yaml', errors: ['4:5 paths[0]: missing required key "check"'] },
  { fixture: 'wrong-check.yaml', errors: ['7:12 paths[0].check: expected one of tcp, http, dns, got "udp"'] },
  { fixture: 'expect-status-out-of-range.yaml',
    errors: ['8:32 paths[0].http.expectStatus[1]: 1302 is out of range: must be between 100 and 599'] },
  { fixture: 'wrong-api-version.yaml', errors: ['1:13 apiVersion: must be "pathprobe/v1", got "pathprobe/v2"'] },
  { fixture: 'two-documents.yaml', errors: ['4:1 : more than one YAML document in one file; put each catalog in its own file'] },
  { fixture: 'root-is-a-list.yaml', errors: ['1:1 : the document must be a mapping with apiVersion, kind and paths'] },
  { fixture: 'empty.yaml', errors: ['1:1 : file holds no YAML document; expected a PathCatalog mapping'] },
  { fixture: 'too-many-aliases.yaml',
    errors: ['106:5 paths[101]: too many alias references (more than 100); write the values out'] },
  { fixture: 'path-name-invalid.yaml', errors: [`4:11 paths[0].name: "Eso_to_vault" ${dns1123}`] },
  { fixture: 'path-name-too-long.yaml',
    errors: ['4:11 paths[0].name: "a123456789012345678901234567890123456789012345678901234567890123" is longer than 63 characters'] },
  { fixture: 'namespace-invalid.yaml', errors: [`5:33 paths[0].from.namespaces[1]: "Team_B" ${dns1123}`] },
  { fixture: 'fanout-duplicate-namespace.yaml', errors: ['5:41 paths[0].from.namespaces[2]: duplicate item "team-a"'] },
  { fixture: 'label-value-not-string.yaml',
    errors: ['5:53 paths[0].from.labels.version: expected a string, got the number 2 (quote it: "2")'] },
  { fixture: 'source-name-invalid.yaml', errors: [`4:3 sources.ESO: key "ESO" ${dns1123}`] },
  { fixture: 'duration-not-a-duration.yaml',
    errors: ['8:14 paths[0].timeout: "5 seconds" must be a duration such as 500ms, 5s, 1m or 1m30s'] },
];

for (const c of CASES) {
  t.test(c.fixture, async (t) => {
    const result = loadFixture(`bad/${c.fixture}`);
    t.equal(result.catalog, undefined);
    t.same(result.errors.map((e) => `${e.line}:${e.col} ${e.yamlPath}: ${e.message}`), c.errors);
  });
}

t.test('a YAML syntax error is located and stops decoding', async (t) => {
  const result = loadFixture('bad/yaml-syntax-error.yaml');
  t.ok(result.errors.length >= 1);
  t.match(result.errors[0], { line: 6, col: 5, yamlPath: '', message: /^YAML: Flow map in block collection/ });
});

t.test('an empty value points at its key, not the end of the line', async (t) => {
  const r = parseCatalogFile(catalogWith('  - name: a\n    from: {namespace: b}\n    to: c:1\n    check:\n'), 'x.yaml');
  t.same(r.errors.map((e) => `${e.line}:${e.col} ${e.yamlPath}: ${e.message}`), [
    '7:5 paths[0].check: expected one of tcp, http, dns, got nothing',
  ]);
});

t.test('keys must be plain strings', async (t) => {
  const r = parseCatalogFile(catalogWith('  - name: a\n    from: {namespace: b, labels: {1: x}}\n    to: c:1\n    check: tcp\n'), 'x.yaml');
  t.same(r.errors.map((e) => `${e.line}:${e.col} ${e.yamlPath}: ${e.message}`), [
    '5:35 paths[0].from.labels: keys must be plain strings, got the number 1',
  ]);
});

t.test('unknown keys far from any known key list the allowed keys', async (t) => {
  const r = parseCatalogFile('apiVersion: pathprobe/v1\nkind: PathCatalog\npaths: []\nspec: {}\n', 'x.yaml');
  t.same(r.errors.map((e) => e.message), ['unknown key "spec"; expected one of: apiVersion, kind, defaults, sources, paths']);
});

t.test('a file over the size bound is rejected before parsing', async (t) => {
  const r = parseCatalogFile(`# ${'x'.repeat(LIMITS.maxFileBytes)}\n`, 'big.yaml');
  t.same(r.errors.map((e) => e.message), [`file is larger than ${LIMITS.maxFileBytes} bytes`]);
});

t.test('an alias bomb is rejected without being expanded', async (t) => {
  // Ten levels of ten-fold references under `from`: 10^10 strings if expanded.
  let anchors = '    from: &h0 [a]\n';
  for (let i = 1; i <= 10; i++) anchors += `  - {name: p${i}, to: 'c:1', check: tcp, from: &h${i} [${Array(10).fill(`*h${i - 1}`).join(', ')}]}\n`;
  const text = catalogWith(`  - name: p0\n    to: c:1\n    check: tcp\n${anchors}  - {name: bomb, to: 'c:1', check: tcp, from: *h10}\n`);
  const started = Date.now();
  const r = parseCatalogFile(text, 'bomb.yaml');
  t.ok(Date.now() - started < 2000, 'returns quickly');
  t.equal(r.raw, undefined);
  t.ok(r.errors.length > 0 && r.errors.length <= LIMITS.maxAliases + 20, `a bounded number of problems (${r.errors.length})`);
  t.match(r.errors[0], { yamlPath: 'paths[1].from[0]', message: 'expected a string, got a list' });
});

t.test('aliases below the budget are expanded like written values', async (t) => {
  const r = parseCatalogFile(
    catalogWith('  - name: a\n    from: {namespace: b, labels: &l {app: web}}\n    to: c:1\n    check: tcp\n  - name: d\n    from: {namespace: e, labels: *l}\n    to: c:1\n    check: tcp\n'),
    'x.yaml',
  );
  t.same(r.errors, []);
  t.same(r.raw?.paths[1]?.from, { namespace: 'e', labels: { app: 'web' } });
});

// Loading from files and directories: one catalog over several files, ordering, IO faults.
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { filterBySource, formatProblem, loadCatalogFiles, UnknownSourceError } from '../../src/catalog/load.js';
import { LIMITS } from '../../src/catalog/schema.js';
import { endlessFifo } from '../helpers/endless-fifo.js';
import { catalogWith } from './fixtures.js';

async function tempDir(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-catalog-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const sourcesFile = 'apiVersion: pathprobe/v1\nkind: PathCatalog\nsources:\n  eso: {namespace: external-secrets}\npaths: []\n';
const pathsFile = catalogWith('  - {name: eso-to-vault, from: eso, to: "vault.vault.svc:8200", check: tcp}\n');

t.test('a directory is one catalog: sources declared in one file serve paths in another', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'a-sources.yaml'), sourcesFile);
  await writeFile(join(dir, 'b-paths.yml'), pathsFile);
  await writeFile(join(dir, 'README.md'), 'not a catalog');
  await writeFile(join(dir, '.hidden.yaml'), 'garbage: [');
  const r = await loadCatalogFiles([dir]);
  t.same(r.errors, []);
  t.same(r.catalog?.files, [join(dir, 'a-sources.yaml'), join(dir, 'b-paths.yml')]);
  t.same(r.catalog?.paths.map((p) => [p.name, p.source.name, p.location.file]), [['eso-to-vault', 'eso', join(dir, 'b-paths.yml')]]);
});

t.test('a ConfigMap-style mount (symlinked files, ..data directory) loads', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, '..2026_01_01'));
  await writeFile(join(dir, '..2026_01_01', 'catalog.yaml'), pathsFile.replace('from: eso', 'from: {namespace: x}'));
  await symlink('..2026_01_01', join(dir, '..data'));
  await symlink(join('..data', 'catalog.yaml'), join(dir, 'catalog.yaml'));
  const r = await loadCatalogFiles([dir]);
  t.same(r.errors, []);
  t.equal(r.catalog?.paths.length, 1);
});

t.test('names are unique across files, and problems are sorted by file then position', async (t) => {
  const dir = await tempDir(t);
  const a = join(dir, 'a.yaml');
  const b = join(dir, 'b.yaml');
  await writeFile(a, sourcesFile.replace('paths: []', 'paths:\n  - {name: eso-to-vault, from: eso, to: "vault.vault.svc:8200", check: tcp}'));
  await writeFile(b, pathsFile.replace('check: tcp}', 'check: tcp}\n  - {name: z, from: {namespace: a}, to: "x", check: tcp}'));
  // Load order decides which use is first: b.yaml comes first here.
  const r = await loadCatalogFiles([b, a]);
  t.same(r.errors.map(formatProblem), [
    `${b}:5:41: tcp target "x" needs a port: write host:port (at paths[1].to)`,
    `${a}:6:12: path name "eso-to-vault" is already used at ${b}:4:12 (at paths[0].name)`,
  ]);
});

t.test('a source declared twice must mean the same identity', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'a.yaml'), sourcesFile);
  await writeFile(join(dir, 'b.yaml'), sourcesFile);
  await writeFile(join(dir, 'c.yaml'), sourcesFile.replace('external-secrets', 'eso') + '');
  await writeFile(join(dir, 'd.yaml'), pathsFile);
  const r = await loadCatalogFiles([dir]);
  t.same(r.errors.map(formatProblem), [
    `${join(dir, 'c.yaml')}:4:3: source "eso" is already declared at ${join(dir, 'a.yaml')}:4:3 with a different identity (at sources.eso)`,
  ]);
});

t.test('IO faults are CatalogReadError with a hint', async (t) => {
  const dir = await tempDir(t);
  await t.rejects(loadCatalogFiles([join(dir, 'missing.yaml')]), { name: 'CatalogReadError', code: 'PP_CATALOG_READ', message: /ENOENT/ });
  await t.rejects(loadCatalogFiles([dir]), {
    name: 'CatalogReadError',
    message: `directory ${dir} holds no *.yaml or *.yml catalog files`,
    hint: 'point at a catalog file or a directory of them',
  });
  await t.rejects(loadCatalogFiles([]), { code: 'PP_CATALOG_READ' });
});

t.test('a dangling symlink in a catalog directory is a CatalogReadError naming it, not a raw ENOENT', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'a.yaml'), pathsFile.replace('from: eso', 'from: {namespace: x}'));
  await symlink(join(dir, 'gone.yaml'), join(dir, 'b.yaml'));
  await t.rejects(loadCatalogFiles([dir]), {
    name: 'CatalogReadError',
    code: 'PP_CATALOG_READ',
    message: `cannot read catalog file ${join(dir, 'b.yaml')}: ENOENT`,
  });
});

t.test('relative paths are read from options.cwd and named as given', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'cat'));
  await writeFile(join(dir, 'cat', 'x.yaml'), pathsFile.replace('from: eso', 'from: {namespace: a}').replace('8200', '99999'));
  const r = await loadCatalogFiles(['cat'], { cwd: dir });
  t.same(r.errors.map(formatProblem), [
    'cat/x.yaml:4:52: tcp target "vault.vault.svc:99999" has port 99999; a port is a number from 1 to 65535 (at paths[0].to)',
  ]);
});

t.test('formatProblem leaves out an empty YAML path', async (t) => {
  t.equal(formatProblem({ file: 'a.yaml', line: 3, col: 1, yamlPath: '', message: 'm' }), 'a.yaml:3:1: m');
  t.equal(formatProblem({ file: 'a.yaml', line: 3, col: 1, yamlPath: 'paths[0]', message: 'm' }), 'a.yaml:3:1: m (at paths[0])');
});

t.test('filterBySource picks one agent\'s paths and names the known sources otherwise', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'a.yaml'), sourcesFile);
  await writeFile(join(dir, 'b.yaml'), pathsFile.replace('check: tcp}', 'check: tcp}\n  - {name: dns, from: {namespaces: [a, b]}, to: x.y, check: dns}'));
  const r = await loadCatalogFiles([dir]);
  const catalog = r.catalog;
  if (!catalog) return t.fail('catalog expected');
  t.same(filterBySource(catalog, 'eso').map((p) => p.name), ['eso-to-vault']);
  t.same(filterBySource(catalog, 'b').map((p) => p.name), ['dns@b']);
  t.throws(() => filterBySource(catalog, 'nope'), new UnknownSourceError('nope', ['a', 'b', 'eso']));
  try {
    filterBySource(catalog, 'nope');
  } catch (e) {
    t.match(e, { code: 'PP_UNKNOWN_SOURCE', message: 'unknown source "nope"', hint: 'known sources: a, b, eso' });
  }
});

t.test('a pipe (<(kustomize ...), /dev/stdin) is read no further than the file size limit', async (t) => {
  const dir = await tempDir(t);
  const fifo = join(dir, 'catalog.yaml');
  const accepted = endlessFifo(t, fifo, 64);
  const r = await loadCatalogFiles([fifo]);
  t.same(r.errors.map(formatProblem), [`${fifo}:1:1: file is larger than ${LIMITS.maxFileBytes} bytes`]);
  t.ok(await accepted < 16 * (1 << 20), 'the loader closed the pipe after about 4 MiB instead of reading all 64 MiB');
});

t.test('a catalog exactly at the size limit loads; one byte more is too large', async (t) => {
  const dir = await tempDir(t);
  const body = pathsFile.replace('from: eso', 'from: {namespace: x}');
  const pad = (n: number) => body + '#'.repeat(n - Buffer.byteLength(body) - 1) + '\n';
  await writeFile(join(dir, 'at.yaml'), pad(LIMITS.maxFileBytes));
  await writeFile(join(dir, 'over.yaml'), pad(LIMITS.maxFileBytes + 1));
  t.same((await loadCatalogFiles([join(dir, 'at.yaml')])).errors, []);
  t.same((await loadCatalogFiles([join(dir, 'over.yaml')])).errors.map((p) => p.message), [`file is larger than ${LIMITS.maxFileBytes} bytes`]);
});

import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filterBySource, formatProblem, loadCatalogFiles } from '../../src/catalog/load.js';
import type { PathSpec } from '../../src/catalog/types.js';
import { createCheckCommand } from '../../src/cli/check-command.js';
import { PathprobeError } from '../../src/errors.js';
import type { ProbeOutcome } from '../../src/probe/types.js';
import { captureIO } from '../helpers/capture-io.js';
import { startDnsServer } from '../helpers/dns-server.js';
import { loadCheckDeps } from '../../src/cli/agent-deps.js';

// In-process: the real loader, and a prober that answers by port, so the command's selection,
// judgement (inconclusive included), output and exit status are checked on their own.
const BY_PORT: Record<number, ProbeOutcome> = {
  1001: { result: 'ok', phases: { connect: 0.001, total: 0.001 }, durationSeconds: 0.001, detail: 'connected' },
  1002: { result: 'refused', phases: { connect: 0.001, total: 0.001 }, durationSeconds: 0.001, detail: 'ECONNREFUSED' },
  1003: { result: 'timeout', phases: { total: 0.5 }, durationSeconds: 0.5, detail: 'no answer to SYN' },
};
const probed: string[] = [];
const deps = {
  loadCatalog: (paths: string[]) => loadCatalogFiles(paths),
  selectPaths: filterBySource,
  formatProblem,
  prober: async (path: PathSpec) => {
    probed.push(path.name);
    return BY_PORT[path.port] ?? { result: 'error' as const, phases: { total: 0 }, durationSeconds: 0, detail: 'unexpected' };
  },
};

const CATALOG = `apiVersion: pathprobe/v1
kind: PathCatalog
sources:
  a: {namespace: team-a}
  b: {namespace: team-b}
paths:
  - {name: works, from: a, to: "127.0.0.1:1001", check: tcp}
  - {name: closed, from: a, to: "127.0.0.1:1002", check: tcp}
  - {name: dead-control, from: b, to: "127.0.0.1:1003", check: tcp}
  - {name: iso, from: a, to: "127.0.0.1:1003", check: tcp, expect: blocked, control: dead-control}
`;

async function catalogFile(t: { teardown(fn: () => unknown): void }, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-check-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'catalog.yaml'), text);
  return join(dir, 'catalog.yaml');
}

t.test('json output: exact fields, up judged against expect, blocked with a failing control inconclusive', async (t) => {
  const file = await catalogFile(t, CATALOG);
  const c = captureIO();
  const code = await createCheckCommand(async () => deps).run(['--catalog', file, '--output', 'json'], c.io);
  t.equal(code, 1, 'not everything as declared');
  const doc = JSON.parse(c.stdout()) as { results: Record<string, unknown>[] };
  t.same(Object.keys(doc), ['results']);
  t.same(Object.keys(doc.results[0]!), ['path', 'source', 'check', 'target', 'expect', 'result', 'up', 'durationSeconds', 'phases', 'detail']);
  t.same(doc.results.map((r) => [r.path, r.source, r.result, r.up]), [
    ['works', 'a', 'ok', true],
    ['closed', 'a', 'refused', false],
    ['dead-control', 'b', 'timeout', false],
    ['iso', 'a', 'timeout', false],
  ]);
  t.match(doc.results[3]!.detail, /^inconclusive: control path dead-control is not up; no answer to SYN$/);
  t.same(doc.results[0]!.phases, { connect: 0.001, total: 0.001 });
});

t.test('text output, --source and --path selection, exit 0 when all as declared', async (t) => {
  const file = await catalogFile(t, CATALOG);
  let c = captureIO();
  t.equal(await createCheckCommand(async () => deps).run(['--catalog', file], c.io), 1);
  const lines = c.stdout().split('\n');
  t.match(lines[0], /^PATH +SOURCE +CHECK +TARGET +EXPECT +RESULT +UP +DURATION +DETAIL$/);
  const col = lines[0]!.indexOf('RESULT');
  t.equal(lines[1]!.slice(col, col + 2), 'ok', 'columns aligned');
  t.match(c.stdout(), /^iso .* timeout +inconclusive +500ms +inconclusive: control path dead-control/m);
  t.match(c.stdout(), /1 of 4 paths behaved as declared; 2 failing, 1 inconclusive/);

  probed.length = 0;
  c = captureIO();
  t.equal(await createCheckCommand(async () => deps).run(['--catalog', file, '--path', 'works', '--output', 'json'], c.io), 0);
  t.same(probed, ['works'], 'only the selected path probed');
  c = captureIO();
  t.equal(await createCheckCommand(async () => deps).run(['--catalog', file, '--source', 'a', '--path', 'iso', '--output', 'json'], c.io), 0,
    'a blocked path whose control is not run here is judged on its own');
  c = captureIO();
  await createCheckCommand(async () => deps).run(['--catalog', file, '--source', 'b', '--output', 'json'], c.io);
  t.same((JSON.parse(c.stdout()) as { results: { path: string }[] }).results.map((r) => r.path), ['dead-control']);
});

t.test('usage and catalog errors are PathprobeErrors', async (t) => {
  const file = await catalogFile(t, CATALOG);
  const run = (args: string[]) => createCheckCommand(async () => deps).run(args, captureIO().io).catch((e: unknown) => e);
  t.match(await run([]), { code: 'PP_USAGE', message: /--catalog is required/ });
  t.match(await run(['--catalog', file, '--output', 'yaml']), { code: 'PP_USAGE' });
  t.match(await run(['--catalog', file, '--path', 'nope']), { code: 'PP_USAGE', hint: /works, closed/ });
  t.match(await run(['--catalog', file, '--source', 'zz']), { code: 'PP_UNKNOWN_SOURCE' });
  // A declared source without paths: checking nothing must not pass as "every path as declared".
  const idle = await catalogFile(t, CATALOG.replace('  b: {namespace: team-b}\n', '  b: {namespace: team-b}\n  c: {namespace: team-c}\n'));
  t.match(await run(['--catalog', idle, '--source', 'c']), { code: 'PP_USAGE', message: 'check: source "c" has no paths', hint: 'sources with paths: a, b' });
  const bad = await catalogFile(t, CATALOG.replace('check: tcp}', 'check: tcp, colour: red}'));
  const error = await run(['--catalog', bad]);
  t.ok(error instanceof PathprobeError);
  t.match(error, { code: 'PP_CATALOG_INVALID', message: /catalog\.yaml:7:\d+: .*colour/ });
});

t.test('remote text in the detail (a hostile DNS answer) is one escaped line of the table', async (t) => {
  const dns = await startDnsServer({ 'x.example': { CNAME: 'a\n::error::forged\u001b[2J.evil' } });
  t.teardown(() => dns.close());
  const file = await catalogFile(t, `apiVersion: pathprobe/v1
kind: PathCatalog
paths:
  - {name: d, from: {namespace: a}, to: x.example., check: dns, dns: {server: "127.0.0.1:${dns.port}", type: CNAME}, timeout: 2s}
`);
  const c = captureIO();
  t.equal(await createCheckCommand(loadCheckDeps).run(['--catalog', file], c.io), 0);
  const lines = c.stdout().split('\n');
  t.equal(lines.length, 5, 'header, one row, a blank line, the summary and the final newline');
  t.match(lines[1], /^d +a +dns +x\.example\. +reachable +ok +yes +\S+ +x\.example CNAME: a\\n::error::forged\\u001b\[2j\.evil$/);
  t.notMatch(c.stdout(), /\u001b/);
  t.equal(c.stdout().split('\n').filter((l) => l.trimStart().startsWith('::')).length, 0, 'no line a GitHub runner would take for a command');
});

t.test('a probe cut short by SIGTERM is not a result: a blocked path does not pass on it, exit 1', async (t) => {
  const file = await catalogFile(t, `apiVersion: pathprobe/v1
kind: PathCatalog
paths:
  - {name: iso, from: {namespace: a}, to: "127.0.0.1:1009", check: tcp, expect: blocked, timeout: 5s}
`);
  const c = captureIO();
  // Answers like the real probers: an aborted connect is a timeout.
  const slow = {
    ...deps,
    prober: (_path: PathSpec, context: { signal: AbortSignal }) => new Promise<ProbeOutcome>((resolve) => {
      context.signal.addEventListener('abort', () => resolve({ result: 'timeout', phases: { total: 0.2 }, durationSeconds: 0.2, detail: 'no answer to SYN' }));
    }),
  };
  const running = createCheckCommand(async () => slow).run(['--catalog', file, '--output', 'json'], c.io);
  setTimeout(() => c.stop(), 200);
  t.equal(await running, 1, 'never 0 on a signal');
  const [result] = (JSON.parse(c.stdout()) as { results: { up: boolean; detail: string }[] }).results;
  t.same(result, { ...result, up: false, detail: 'stopped by SIGTERM before the probe finished, not a result: no answer to SYN' });
  t.match(c.stderr(), /\ncheck: stopped by SIGTERM: 1 of 1 probes were cut short; their rows are not results\n$/);
});

import t from 'tap';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { CommandIO } from '../../src/cli/command.js';
import { COMMANDS } from '../../src/cli/commands.js';
import { explainerCommand } from '../../src/cli/explainer-command.js';
import { PathprobeError, UsageError } from '../../src/errors.js';

function io(cwd: string): CommandIO & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => { out += c.toString(); });
  stderr.on('data', (c: Buffer) => { err += c.toString(); });
  return { stdout, stderr, stdin: new PassThrough(), env: {}, cwd, stopSignal: new AbortController().signal, out: () => out, err: () => err };
}

t.test('listed once in the command table', async (t) => {
  t.equal(COMMANDS.filter((c) => c.name === 'explainer').length, 1);
});

t.test('--help prints the usage, naming the read-only kinds', async (t) => {
  const x = io(process.cwd());
  t.equal(await explainerCommand.run(['--help'], x), 0);
  t.match(x.out(), /--catalog PATH/);
  t.match(x.out(), /get\/list\/watch only/);
});

t.test('usage mistakes are UsageErrors', async (t) => {
  await t.rejects(explainerCommand.run([], io(process.cwd())), UsageError);
  await t.rejects(explainerCommand.run(['--catalog', 'x', '--bogus'], io(process.cwd())), UsageError);
});

t.test('an invalid catalog exits 1 with located problems, before touching any cluster', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-explainer-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'bad.yaml'), 'apiVersion: pathprobe/v1\nkind: PathCatalog\npaths:\n  - name: x\n    from: {namespace: a}\n    to: b.c:1\n    check: tcp\n    bogus: 1\n');
  const x = io(dir);
  t.equal(await explainerCommand.run(['--catalog', 'bad.yaml', '--kubeconfig', join(dir, 'missing')], x), 1);
  t.match(x.err(), /^bad\.yaml:8:5: /m);
});

t.test('a kubeconfig that cannot be loaded is a PathprobeError with a hint', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-explainer-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'c.yaml'), 'apiVersion: pathprobe/v1\nkind: PathCatalog\npaths:\n  - name: x\n    from: {namespace: a}\n    to: b.c:1\n    check: tcp\n');
  const err = await explainerCommand.run(['--catalog', 'c.yaml', '--kubeconfig', join(dir, 'missing')], io(dir)).catch((e: unknown) => e);
  t.type(err, PathprobeError);
  t.equal((err as PathprobeError).code, 'PP_K8S_CONFIG');
});

t.test('an empty kubeconfig says so, not the library internals', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-explainer-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'c.yaml'), 'apiVersion: pathprobe/v1\nkind: PathCatalog\npaths:\n  - name: x\n    from: {namespace: a}\n    to: b.c:1\n    check: tcp\n');
  for (const [name, text] of [['empty', ''], ['comment', '# nothing\n']] as const) {
    await writeFile(join(dir, name), text);
    const err = await explainerCommand.run(['--catalog', 'c.yaml', '--kubeconfig', join(dir, name)], io(dir)).catch((e: unknown) => e);
    t.type(err, PathprobeError, name);
    t.equal((err as PathprobeError).code, 'PP_K8S_CONFIG', name);
    t.match((err as Error).message, new RegExp(`^cannot load a kubeconfig from .*${name}: it is empty or not a kubeconfig`), name);
    t.notMatch((err as Error).message, /Cannot read properties/, name);
    t.match((err as PathprobeError).hint, /--kubeconfig a kubeconfig file/, name);
  }
});

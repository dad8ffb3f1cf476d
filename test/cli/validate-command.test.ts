// `pathprobe validate` run in-process through the Command interface, streams captured.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import t, { type Test } from 'tap';
import { COMMANDS } from '../../src/cli/commands.js';
import { dispatch } from '../../src/cli/dispatch.js';
import type { CommandIO } from '../../src/cli/command.js';
import { validateCommand } from '../../src/cli/validate-command.js';

function capture(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      out += String(chunk);
      done();
    },
  });
  return { stream, text: () => out };
}

async function run(args: string[], cwd: string) {
  const stdout = capture();
  const stderr = capture();
  const io: CommandIO = { stdout: stdout.stream, stderr: stderr.stream, stdin: new PassThrough(), env: {}, cwd, stopSignal: new AbortController().signal };
  const code = await validateCommand.run(args, io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

async function workspace(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-validate-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const head = 'apiVersion: pathprobe/v1\nkind: PathCatalog\npaths:\n';
  await writeFile(join(dir, 'good.yaml'), `${head}  - {name: a, from: {namespaces: [x, y]}, to: "db.z.svc:5432", check: tcp}\n`);
  await writeFile(
    join(dir, 'bad.yaml'),
    `${head}  - name: b\n    from: {namespace: x}\n    to: db.z.svc\n    check: tcp\n    timeout: 5s\n    interval: 5s\n`,
  );
  await writeFile(
    join(dir, 'warn.yaml'),
    `${head}  - {name: c, from: {namespace: x}, to: "db.z.svc:1", check: tcp, expect: blocked}\n`,
  );
  return dir;
}

t.test('validate is in the command table', async (t) => {
  t.ok(COMMANDS.includes(validateCommand));
  t.equal(validateCommand.name, 'validate');
});

t.test('a valid catalog: summary line, exit 0', async (t) => {
  const dir = await workspace(t);
  t.same(await run(['good.yaml'], dir), { code: 0, stdout: '2 paths in 1 file: valid\n', stderr: '' });
});

t.test('an invalid catalog: one file:line:col line per problem, exit 1', async (t) => {
  const dir = await workspace(t);
  const r = await run(['good.yaml', 'bad.yaml'], dir);
  t.equal(r.code, 1);
  t.equal(
    r.stdout,
    [
      'bad.yaml:6:9: tcp target "db.z.svc" needs a port: write host:port (at paths[0].to)',
      'bad.yaml:8:14: timeout 5s must be shorter than interval 5s (at paths[0].timeout)',
      '2 errors in 2 files: invalid',
      '',
    ].join('\n'),
  );
});

t.test('warnings are marked and do not fail validation', async (t) => {
  const dir = await workspace(t);
  const r = await run([join(dir, 'warn.yaml')], '/');
  t.equal(r.code, 0);
  t.equal(
    r.stdout,
    `${join(dir, 'warn.yaml')}:4:75: warning: expect: blocked without a control: if the destination is down this path still looks blocked; name a reachable path to it as control (at paths[0].expect)\n` +
      '1 path in 1 file: valid, 1 warning\n',
  );
});

t.test('each PATH is its own catalog unless --merge', async (t) => {
  const dir = await workspace(t);
  await writeFile(join(dir, 'dup.yaml'), 'apiVersion: pathprobe/v1\nkind: PathCatalog\npaths:\n  - {name: a, from: {namespace: q}, to: "db.z.svc:5432", check: tcp}\n');
  t.equal((await run(['good.yaml', 'dup.yaml'], dir)).code, 0);
  const merged = await run(['--merge', 'good.yaml', 'dup.yaml'], dir);
  t.equal(merged.code, 1);
  t.equal(merged.stdout, 'dup.yaml:4:12: path name "a" is already used at good.yaml:4:12 (at paths[0].name)\n1 error in 2 files: invalid\n');
});

t.test('a file named twice is read once (with --merge it clashed with itself)', async (t) => {
  const dir = await workspace(t);
  await mkdir(join(dir, 'cat'));
  await writeFile(join(dir, 'cat', 'one.yaml'), 'apiVersion: pathprobe/v1\nkind: PathCatalog\npaths:\n  - {name: a, from: {namespace: q}, to: "db.z.svc:5432", check: tcp}\n');
  t.same(await run(['good.yaml', 'good.yaml'], dir), { code: 0, stdout: '2 paths in 1 file: valid\n', stderr: '' });
  t.same(await run(['--merge', 'cat', './cat/one.yaml', join(dir, 'cat', 'one.yaml')], dir), { code: 0, stdout: '1 path in 1 file: valid\n', stderr: '' });
});

t.test('--output json carries the problems as data', async (t) => {
  const dir = await workspace(t);
  const r = await run(['--output', 'json', 'bad.yaml', 'warn.yaml'], dir);
  t.equal(r.code, 1);
  const body = JSON.parse(r.stdout);
  t.match(body, { valid: false, files: ['bad.yaml', 'warn.yaml'], paths: 1 });
  t.same(body.errors[0], { file: 'bad.yaml', line: 6, col: 9, yamlPath: 'paths[0].to', message: 'tcp target "db.z.svc" needs a port: write host:port' });
  t.equal(body.errors.length, 2);
  t.equal(body.warnings.length, 1);
});

t.test('usage mistakes and unreadable paths are PathprobeErrors', async (t) => {
  const dir = await workspace(t);
  await t.rejects(run([], dir), { code: 'PP_USAGE' });
  await t.rejects(run(['--bogus', 'good.yaml'], dir), { code: 'PP_USAGE' });
  await t.rejects(run(['--output', 'yaml', 'good.yaml'], dir), { code: 'PP_USAGE', message: '--output must be text or json, not "yaml"' });
  await t.rejects(run(['missing.yaml'], dir), { code: 'PP_CATALOG_READ' });
  const help = await run(['--help'], dir);
  t.equal(help.code, 0);
  t.match(help.stdout, /^Usage: pathprobe validate/);
});

t.test('a dangling symlink in a catalog directory: error naming it, exit 2 (not an internal error, 70)', async (t) => {
  const dir = await workspace(t);
  await symlink(join(dir, 'gone.yaml'), join(dir, 'link.yaml'));
  const stdout = capture();
  const stderr = capture();
  const io: CommandIO = { stdout: stdout.stream, stderr: stderr.stream, stdin: new PassThrough(), env: {}, cwd: '/', stopSignal: new AbortController().signal };
  t.equal(await dispatch(['validate', dir], io, COMMANDS), 2);
  t.equal(stderr.text(), `error: cannot read catalog file ${join(dir, 'link.yaml')}: ENOENT\nhint: a symlink whose target is missing? check the directory\n`);
  t.equal(stdout.text(), '');
});

t.test('catalog text quoted in a problem is printed on one line, control characters escaped', async (t) => {
  const dir = await workspace(t);
  // Under GitHub Actions a line starting with :: is a workflow command; ESC drives the terminal.
  await writeFile(join(dir, 'forged.yaml'), 'apiVersion: pathprobe/v1\nkind: PathCatalog\n"x\\n::error::forged\\e[2J": 1\npaths: []\n');
  const r = await run(['forged.yaml'], dir);
  t.equal(r.code, 1);
  t.equal(r.stdout,
    'forged.yaml:3:1: unknown key "x\\n::error::forged\\u001b[2J"; expected one of: apiVersion, kind, defaults, sources, paths (at ["x\\n::error::forged\\u001b[2J"])\n' +
    '1 error in 1 file: invalid\n');
  const json = JSON.parse((await run(['--output', 'json', 'forged.yaml'], dir)).stdout);
  t.equal(json.errors[0].message, 'unknown key "x\n::error::forged\u001b[2J"; expected one of: apiVersion, kind, defaults, sources, paths', 'JSON keeps the text as data');
});

t.test('an empty PATH (an unset shell variable) is an error, not the current directory', async (t) => {
  const dir = await workspace(t);
  await t.rejects(run([''], dir), { code: 'PP_CATALOG_READ', message: 'a catalog path is empty', hint: /unset shell variable/ });
});

// `pathprobe explain` in-process: exit status, JSON contract, text report, stdin, input errors.
import t from 'tap';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { parseAllDocuments } from 'yaml';
import { explainCommand } from '../../src/cli/explain-command.js';
import { COMMANDS } from '../../src/cli/commands.js';
import { UsageError } from '../../src/errors.js';

const FIXTURES = join(import.meta.dirname, '..', 'netpol', 'fixtures');

async function run(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await explainCommand.run(args, {
    stdout, stderr, stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]), env: options.env ?? {},
    cwd: FIXTURES, stopSignal: new AbortController().signal,
  });
  return { code, out, err };
}

t.test('is listed in the command table', async (t) => {
  t.ok(COMMANDS.includes(explainCommand));
});

t.test('JSON follows the contract; a denied must-work path exits 1', async (t) => {
  const { code, out, err } = await run(['--catalog', 'catalog.yaml', '--manifests', 'manifests', '--output', 'json']);
  t.equal(code, 1);
  t.equal(err, '');
  const doc = JSON.parse(out) as { paths: Record<string, any>[] };
  t.same(doc.paths.map((p) => [p.path, p.verdict, p.matches]), [
    ['eso-to-vault', 'denied_ingress', false],
    ['grafana-to-keycloak', 'allowed', true],
    ['tenant-dns@team-a', 'allowed', true],
    ['tenant-dns@team-b', 'denied_egress', false],
    ['staging-never-reaches-vault', 'denied_ingress', true],
  ]);
  for (const p of doc.paths) {
    t.same(Object.keys(p).slice(0, 4), ['path', 'expect', 'verdict', 'matches']);
    t.hasProps(p.egress, ['isolated', 'allowedBy']);
    t.hasProps(p.ingress, ['isolated', 'allowedBy']);
    t.ok('suggestion' in p);
  }
  const grafana = doc.paths[1]!;
  t.same(grafana.egress.allowedBy, [{ policy: 'monitoring/allow-grafana-to-keycloak', rule: 0 }]);
  t.same(grafana.ingress.allowedBy, [{ policy: 'identity/allow-grafana-ingress', rule: 0 }]);
  const eso = doc.paths[0]!;
  t.equal(eso.suggestionVerified, true);
  const [policy] = parseAllDocuments(eso.suggestion).map((d) => d.toJS());
  t.match(policy, { metadata: { name: 'allow-eso-to-vault-8200-ingress', namespace: 'vault' } });
});

t.test('text report for a CI log, with GitHub annotations under Actions', async (t) => {
  const { code, out } = await run(['--catalog', 'catalog.yaml', '--manifests', 'manifests'], { env: { GITHUB_ACTIONS: 'true' } });
  t.equal(code, 1);
  t.match(out, /^FAIL eso-to-vault: denied_ingress \(expect reachable\)$/m);
  t.match(out, /ingress: isolated by vault\/default-deny-ingress; DENIED/);
  t.match(out, /suggested allow \(re-evaluated: opens the path\):\n {7}apiVersion: networking\.k8s\.io\/v1/);
  t.match(out, /^ok {3}grafana-to-keycloak: allowed/m);
  t.match(out, /- UDP 53 denied \(egress\)\n {5}- TCP 53 denied \(egress\)/);
  t.match(out, /^::error file=.*catalog\.yaml,line=\d+,col=\d+,title=pathprobe explain eso-to-vault::denied_ingress/m);
  t.match(out, /pathprobe explain: 5 paths, 3 as declared, 2 not: eso-to-vault, tenant-dns@team-b\n$/);
});

t.test('with the fixes applied every path is as declared: exit 0', async (t) => {
  const { code, out } = await run(['--catalog', '.', '--manifests', 'manifests', 'fixes']);
  t.equal(code, 0, out);
  t.match(out, /5 paths, 5 as declared, 0 not/);
});

t.test('--manifests - reads a kustomize-style stream from stdin; --path filters', async (t) => {
  const files = ['namespaces', 'vault', 'external-secrets'].map((f) => join(FIXTURES, 'manifests', `${f}.yaml`));
  const stream = (await Promise.all(files.map((f) => readFile(f, 'utf8')))).join('\n---\n');
  const { code, out } = await run(['--catalog', 'catalog.yaml', '--manifests', '-', '--path', 'eso-to-vault', '--output', 'json'], { stdin: stream });
  t.equal(code, 1);
  const doc = JSON.parse(out) as { paths: { path: string; verdict: string }[] };
  t.same(doc.paths.map((p) => [p.path, p.verdict]), [['eso-to-vault', 'denied_ingress']]);
});

t.test('input errors exit 2; usage errors are UsageErrors', async (t) => {
  const missing = await run(['--catalog', 'catalog.yaml', '--manifests', 'does-not-exist']);
  t.equal(missing.code, 2);
  t.match(missing.err, /cannot read .*does-not-exist: ENOENT/);
  const syntax = await run(['--catalog', 'catalog.yaml', '--manifests', '-'], { stdin: 'kind: Pod\nmetadata: {name: [x\n' });
  t.equal(syntax.code, 2);
  t.match(syntax.err, /^<stdin>:\d+:\d+: error: /m);
  const noCatalog = await run(['--catalog', 'nope.yaml', '--manifests', 'manifests']);
  t.equal(noCatalog.code, 2);
  await t.rejects(run(['--manifests', 'manifests']), UsageError);
  await t.rejects(run(['--catalog', 'catalog.yaml']), UsageError);
  await t.rejects(run(['--catalog', 'catalog.yaml', '--manifests', 'manifests', '--output', 'xml']), UsageError);
  await t.rejects(run(['--catalog', 'catalog.yaml', '--manifests', 'manifests', '--bogus']), UsageError);
  await t.rejects(run(['--catalog', 'catalog.yaml', '--manifests', 'manifests', '--path', 'nope']), UsageError);
  for (const [flag, bad] of [['--default-namespace', 'Apps'], ['--default-namespace', ''], ['--dns-namespace', 'kube_system'], ['--cluster-domain', 'Cluster.Local'], ['--cluster-domain', 'a..b']]) {
    await t.rejects(run(['--catalog', 'catalog.yaml', '--manifests', 'manifests', flag!, bad!]), { name: 'UsageError', message: new RegExp(`^${flag} `) }, `${flag} ${JSON.stringify(bad)}`);
  }
});

t.test('an invalid NetworkPolicy is reported located and makes affected verdicts unknown', async (t) => {
  const bad = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: broken, namespace: vault}
spec:
  podSelector: {}
  ingress:
    - ports: [{port: 8200, protocol: HTTP}]
`;
  const files = ['namespaces', 'vault', 'external-secrets'].map((f) => join(FIXTURES, 'manifests', `${f}.yaml`));
  const stream = [...(await Promise.all(files.map((f) => readFile(f, 'utf8')))), bad].join('\n---\n');
  const { code, out, err } = await run(['--catalog', 'catalog.yaml', '--manifests', '-', '--path', 'eso-to-vault', '--output', 'json'], { stdin: stream });
  t.equal(code, 1);
  t.match(err, /<stdin>:\d+:\d+: error: protocol must be TCP, UDP or SCTP \(spec\.ingress\[0\]\.ports\[0\]\.protocol\)/);
  t.equal(JSON.parse(out).paths[0].verdict, 'unknown');
});

t.test('an alias bomb in the manifests is an input error (exit 2), not an internal error', async (t) => {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: c, namespace: vault}', 'data:', `  l0: &l0 [${Array(10).fill('x').join(', ')}]`];
  for (let n = 1; n < 6; n++) lines.push(`  l${n}: &l${n} [${Array(10).fill(`*l${n - 1}`).join(', ')}]`);
  const { code, out, err } = await run(['--catalog', 'catalog.yaml', '--manifests', '-'], { stdin: `${lines.join('\n')}\n` });
  t.equal(code, 2);
  t.equal(out, '');
  t.equal(err, '<stdin>:1:1: error: YAML aliases expand to too many nodes (over 100); write the values out\n');
});

t.test('manifests without a single object are an input error (exit 2), not every path open', async (t) => {
  // A DNS-only catalog: judged against no policy at all its paths are allowed, and exit 0 passed CI
  // when `kustomize build ... | pathprobe explain --manifests -` lost its input to a failed build.
  const dns = ['--catalog', 'catalog.yaml', '--path', 'tenant-dns'];
  const empty = await run([...dns, '--manifests', '-'], { stdin: '' });
  t.same(empty, {
    code: 2, out: '',
    err: 'pathprobe explain: --manifests hold no Kubernetes objects (read: <stdin>) (check the paths; an empty stdin usually means the command before the pipe failed, which set -o pipefail catches)\n',
  });
  const comments = await run([...dns, '--manifests', '-'], { stdin: '# kustomize printed nothing\n---\n' });
  t.equal(comments.code, 2);
  const emptyList = await run([...dns, '--manifests', '-'], { stdin: 'apiVersion: v1\nkind: List\nitems: []\n' });
  t.equal(emptyList.code, 0, 'an empty List (kubectl get netpol -A of a cluster without policies) is input: no policy, all open');
  const withFiles = await run([...dns, '--manifests', '-', 'manifests'], { stdin: '' });
  t.equal(withFiles.code, 1, 'an empty stdin beside files that hold objects is fine');
});

t.test('names from the manifests cannot start lines (GitHub workflow commands) or send control characters', async (t) => {
  const injected = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: "deny\\n::error title=injected::x\\u001b[2J", namespace: vault}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: vault}
status: {podIP: "1.2.3\\n::warning::y"}
`;
  const files = ['namespaces', 'vault', 'external-secrets'].map((f) => join(FIXTURES, 'manifests', `${f}.yaml`));
  const stream = [...(await Promise.all(files.map((f) => readFile(f, 'utf8')))), injected].join('\n---\n');
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-explain-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  // A catalog file name with the characters a workflow command's properties must escape.
  const catalog = join(dir, 'a,b:c%.yaml');
  await writeFile(catalog, await readFile(join(FIXTURES, 'catalog.yaml'), 'utf8'));
  const { code, out, err } = await run(['--catalog', catalog, '--manifests', '-', '--path', 'eso-to-vault'], { stdin: stream, env: { GITHUB_ACTIONS: 'true' } });
  t.equal(code, 1);
  const commands = `${out}${err}`.split('\n').filter((l) => l.trimStart().startsWith('::'));
  t.equal(commands.length, 1, 'one workflow command: the annotation explain writes');
  t.match(commands[0], new RegExp(`^::error file=${dir.replace(/[/.]/g, '\\$&')}/a%2Cb%3Ac%25\\.yaml,line=8,col=5,title=pathprobe explain eso-to-vault::denied_ingress `));
  t.notMatch(`${out}${err}`, /\u001b/, 'no ESC reaches the terminal');
  t.match(out, /isolated for ingress by vault\/default-deny-ingress, vault\/deny\\n::error title=injected::x\\u001b\[2J and no/);
  t.match(err, /: warning: "1\.2\.3\\n::warning::y" is not an IP address \(status\.podIP\)\n/);
});

t.test('stdin is read no further than 256 MiB: an input error, not an internal one', async (t) => {
  // 600 MiB offered; a string holds ~512 MiB, so reading it all ended in an internal error, exit 70.
  let pulled = 0;
  const chunk = Buffer.alloc(1 << 20, '#');
  const stdin = Readable.from((function* () {
    for (; pulled < 600; pulled++) yield chunk;
  })());
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c) => (err += c));
  const code = await explainCommand.run(['--catalog', 'catalog.yaml', '--manifests', '-'], {
    stdout: new PassThrough(), stderr, stdin, env: {}, cwd: FIXTURES, stopSignal: new AbortController().signal,
  });
  t.equal(code, 2);
  t.equal(err, 'pathprobe explain: <stdin> holds more than 256 MiB of manifests (pass only the namespaces and kinds that matter: Namespaces, Pods or workloads, Services, NetworkPolicies)\n');
  t.ok(pulled < 300, `stopped reading after ${pulled} MiB`);
});

t.test('an empty --manifests or --catalog path (an unset shell variable) is an input error, not the current directory', async (t) => {
  const manifests = await run(['--catalog', 'catalog.yaml', '--manifests', '']);
  t.same(manifests, { code: 2, out: '', err: 'pathprobe explain: a --manifests path is empty (an unset shell variable? pass a file, a directory or -)\n' });
  const catalog = await run(['--catalog', '', '--manifests', 'manifests']);
  t.same(catalog, { code: 2, out: '', err: 'pathprobe explain: a catalog path is empty (an unset shell variable? pass a catalog file or directory)\n' });
});

t.test('a manifest file name from a directory listing is printed on one line', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-explain-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'x\n::error::forged.yaml'), 'kind: Pod\nmetadata: {name: [x\n');
  const { code, err } = await run(['--catalog', 'catalog.yaml', '--manifests', dir]);
  t.equal(code, 2);
  t.match(err, new RegExp(`^${dir.replace(/[/.]/g, '\\$&')}/x\\\\n::error::forged\\.yaml:\\d+:\\d+: error: `, 'm'));
  t.equal(err.split('\n').filter((l) => l.trimStart().startsWith('::')).length, 0, 'no line a GitHub runner would take for a command');
});

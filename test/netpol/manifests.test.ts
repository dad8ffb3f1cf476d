// Reading manifests: multi-document files, Lists, directories, stdin, syntax errors and
// malformed objects reported with file:line:col.
import t from 'tap';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ManifestReadError, parseManifestText, readManifests, locateProblem } from '../../src/netpol/manifests.js';
import { ClusterModel } from '../../src/netpol/model.js';

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: n}
spec: {podSelector: {}}
`;

t.test('multi-document text, List items, comments-only and unrelated documents', async (t) => {
  const text = `# leading comment\n---\n${POLICY}---\n# only a comment\n---\napiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Namespace\n    metadata: {name: n}\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: c}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {template: {metadata: {labels: {app: d}}}}\n`;
  const { objects, problems } = parseManifestText(text, 'm.yaml');
  t.same(problems, []);
  t.same(objects.map((o) => o.object.kind), ['NetworkPolicy', 'Namespace', 'ConfigMap', 'Deployment']);
  t.same(objects.map((o) => o.location?.line), [3, 13, 16, 20]);
});

t.test('syntax errors are fatal and located; non-objects are warnings', async (t) => {
  const bad = parseManifestText('apiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n', 'bad.yaml');
  t.equal(bad.problems[0]?.severity, 'fatal');
  t.equal(bad.problems[0]?.file, 'bad.yaml');
  t.ok((bad.problems[0]?.line ?? 0) >= 3);
  const odd = parseManifestText('- just\n- a list\n---\nfoo: bar\n', 'odd.yaml');
  t.same(odd.problems.map((p) => [p.line, p.severity]), [[1, 'warning'], [4, 'warning']]);
});

t.test('an alias bomb or an alias without its anchor is a located fatal problem, not a throw', async (t) => {
  const level = (n: number, prev: string) => `l${n}: &l${n} [${Array(10).fill(prev).join(', ')}]`;
  const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: c}', 'data:', level(0, 'x').replace(/^/, '  ')];
  for (let n = 1; n < 6; n++) bomb.push(`  ${level(n, `*l${n - 1}`)}`);
  const text = `${POLICY}---\n${bomb.join('\n')}\n---\nkind: Pod\napiVersion: v1\nmetadata: {name: *nowhere}\n`;
  const { objects, problems } = parseManifestText(text, 'm.yaml');
  t.same(objects.map((o) => o.object.kind), ['NetworkPolicy']);
  t.same(problems, [
    { file: 'm.yaml', line: 6, col: 1, yamlPath: '', message: 'YAML aliases expand to too many nodes (over 100); write the values out', severity: 'fatal' },
    { file: 'm.yaml', line: 17, col: 1, yamlPath: '', message: 'Unresolved alias (the anchor must be set before the alias): nowhere', severity: 'fatal' },
  ]);
});

t.test('a malformed policy is located at the bad node', async (t) => {
  const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: n}
spec:
  podSelector: {}
  ingress:
    - from:
        - podSelector: {}
          ipBlock: {cidr: 10.0.0.0/8}
      ports:
        - port: 80
          endPort: 70
`;
  const { objects } = parseManifestText(text, 'p.yaml');
  const model = new ClusterModel();
  const update = model.upsert(objects[0]!.object);
  const located = update.problems.map((p) => locateProblem(objects[0]!, p.path, p.message, 'error'));
  t.match(located, [
    { file: 'p.yaml', line: 8, col: 11, yamlPath: 'spec.ingress[0].from[0]', message: /ipBlock cannot be combined/ },
    { file: 'p.yaml', line: 12, col: 20, yamlPath: 'spec.ingress[0].ports[0].endPort', message: /not below port/ },
  ]);
});

t.test('a port name must be an IANA_SVC_NAME: a letter, no "--" (the API rejects the policy otherwise)', async (t) => {
  const policy = (port: string) => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'n' },
    spec: { podSelector: {}, ingress: [{ ports: [{ port }] }] },
  });
  for (const bad of ['1-2', 'a--b']) {
    t.match(new ClusterModel().upsert(policy(bad)).problems, [{ path: ['spec', 'ingress', 0, 'ports', 0, 'port'] }], bad);
  }
  for (const good of ['http', 'dns-tcp', 'h2c', 'a-1']) t.same(new ClusterModel().upsert(policy(good)).problems, [], good);
});

t.test('label keys and values in selectors, and policyTypes, as the API validates them (it rejects the policy otherwise)', async (t) => {
  const policy = (spec: Record<string, unknown>) => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'n' }, spec,
  });
  const problemsOf = (spec: Record<string, unknown>) => new ClusterModel().upsert(policy(spec)).problems;
  const bad: [string, Record<string, unknown>][] = [
    ['a value with a space', { podSelector: { matchLabels: { app: 'my app' } } }],
    ['a value over 63 characters', { podSelector: { matchLabels: { app: 'a'.repeat(64) } } }],
    ['a value ending in "-"', { podSelector: { matchLabels: { app: 'web-' } } }],
    ['a key with two "/"', { podSelector: { matchLabels: { 'a/b/c': 'x' } } }],
    ['a key with an upper-case prefix', { podSelector: { matchLabels: { 'Example.com/app': 'x' } } }],
    ['an empty key name', { podSelector: { matchLabels: { 'example.com/': 'x' } } }],
    ['an expression key with a space', { podSelector: { matchExpressions: [{ key: 'my key', operator: 'Exists' }] } }],
    ['an In value that is invalid', { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['ok', '*'] }] } }],
    ['a peer namespaceSelector value that is invalid', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'team a' } } }] }] }],
    ['three policyTypes', { podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] }],
  ];
  for (const [name, spec] of bad) t.not(problemsOf(spec).length, 0, name);
  const good: [string, Record<string, unknown>][] = [
    ['prefixed keys, dotted values, empty values', { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'vault', 'k8s-app': 'kube-dns', 'x.y/z_1': '', ver: 'v1.2_3' } } }],
    ['a 63-character value', { podSelector: { matchLabels: { app: 'a'.repeat(63) } } }],
    ['NotIn with an empty value', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['', 'web'] }] } }],
    ['two policyTypes, even the same twice', { podSelector: {}, policyTypes: ['Ingress', 'Ingress'] }],
  ];
  for (const [name, spec] of good) t.same(problemsOf(spec), [], name);
});

t.test('directories recursively (yaml, yml, json; hidden skipped), stdin, missing paths', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-manifests-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'a', 'b'), { recursive: true });
  await mkdir(join(dir, '.git'));
  await writeFile(join(dir, 'a', 'one.yaml'), POLICY);
  await writeFile(join(dir, 'a', 'b', 'two.yml'), POLICY.replace('name: p', 'name: q'));
  await writeFile(join(dir, 'a', 'b', 'three.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'j' } }));
  await writeFile(join(dir, 'notes.txt'), 'not yaml: [');
  await writeFile(join(dir, '.git', 'x.yaml'), 'broken: [');
  const result = await readManifests([dir, '-'], { cwd: '/', stdin: Readable.from([POLICY.replace('name: p', 'name: s')]) });
  t.same(result.problems, []);
  t.same(result.objects.map((o) => (o.object.metadata as { name: string }).name).sort(), ['j', 'p', 'q', 's']);
  t.equal(result.files.length, 4);
  await t.rejects(readManifests([join(dir, 'missing')], { cwd: '/', stdin: Readable.from([]) }), ManifestReadError);
});

t.test('symlinked directories are read (once, even through a link loop)', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-manifests-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'base'));
  await mkdir(join(dir, 'overlay'));
  await writeFile(join(dir, 'base', 'policy.yaml'), POLICY);
  await writeFile(join(dir, 'overlay', 'own.yaml'), POLICY.replace('name: p', 'name: q'));
  await symlink(join(dir, 'base'), join(dir, 'overlay', 'shared'));
  await symlink(dir, join(dir, 'base', 'up'));
  const overlay = await readManifests([join(dir, 'overlay')], { cwd: '/', stdin: Readable.from([]) });
  t.same(overlay.problems, []);
  t.same(overlay.files, [join(dir, 'overlay', 'own.yaml'), join(dir, 'overlay', 'shared', 'policy.yaml')]);
  t.same(overlay.objects.map((o) => (o.object.metadata as { name: string }).name), ['q', 'p']);
  const all = await readManifests([dir], { cwd: '/', stdin: Readable.from([]) });
  t.same(all.objects.map((o) => (o.object.metadata as { name: string }).name).sort(), ['p', 'q'], 'each directory once');
});

// `pathprobe render` end to end, in-process: refusals, warnings, byte-stable output, --out layout.
import t, { type Test } from 'tap';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseAllDocuments } from 'yaml';
import { renderCommand } from '../../src/cli/render-command.js';
import { UsageError } from '../../src/errors.js';
import { endlessFifo } from '../helpers/endless-fifo.js';

const CATALOG = `apiVersion: pathprobe/v1
kind: PathCatalog
sources:
  web: {namespace: shop, labels: {app: web, tier: frontend}}
  idle: {namespace: shop, labels: {app: idle}}
paths:
  - name: web-to-db
    from: web
    to: db.shop.svc.cluster.local:5432
    check: tcp
`;
// The same catalog with the labels written in the other order.
const CATALOG_REORDERED = CATALOG.replace('{app: web, tier: frontend}', '{tier: frontend, app: web}');

const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  selector: {app: db}
  ports: [{port: 5432}]
`;
const WORKLOAD = `apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: shop}
    spec:
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web, tier: frontend}}
        spec: {containers: [{name: web, image: web, ports: [{containerPort: 8080}, {containerPort: 9477}]}]}
`;

async function setup(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-render-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'catalog.yaml'), CATALOG);
  await writeFile(join(dir, 'catalog-reordered.yaml'), CATALOG_REORDERED);
  await mkdir(join(dir, 'manifests', 'nested'), { recursive: true });
  await writeFile(join(dir, 'manifests', 'services.yaml'), SERVICE);
  await writeFile(join(dir, 'manifests', 'nested', 'workload.yml'), WORKLOAD);
  await writeFile(join(dir, 'workload-only.yaml'), WORKLOAD);
  return dir;
}

async function render(cwd: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const status = await renderCommand.run(args, {
    stdout, stderr, stdin: new PassThrough(), env: {}, cwd, stopSignal: new AbortController().signal,
  });
  return { status, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

const BASE = ['--catalog', 'catalog.yaml', '--image', 'pathprobe:test'];

t.test('without --manifests: renders, and warns that it could not check', async (t) => {
  const dir = await setup(t);
  const r = await render(dir, BASE);
  t.equal(r.status, 0);
  t.match(r.stderr, /warning: no --manifests given: could not check/);
  const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
  t.same(docs.map((d) => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`), [
    'ConfigMap/pathprobe/pathprobe-catalog',
    'ConfigMap/shop/pathprobe-catalog',
    'Deployment/shop/pathprobe-agent-web',
    'NetworkPolicy/shop/pathprobe-agent-allow-scrape',
    'PodMonitor/shop/pathprobe-agents',
  ], 'only sources with paths get an agent; objects sorted by namespace, kind, name');
  const dep = docs[2];
  t.same(dep.spec.template.metadata.labels, {
    app: 'web', 'app.kubernetes.io/name': 'pathprobe-agent', 'app.kubernetes.io/part-of': 'pathprobe', 'pathprobe/agent': 'web', tier: 'frontend',
  });
  t.same(dep.spec.template.spec.containers[0].args, ['run', '--catalog', '/etc/pathprobe/catalog.yaml', '--source', 'web', '--listen', '0.0.0.0:9477']);
  t.same(dep.spec.template.spec.containers[0].env.map((e: any) => `${e.name}=${e.valueFrom.fieldRef.fieldPath}`),
    ['POD_NAME=metadata.name', 'POD_NAMESPACE=metadata.namespace', 'NODE_NAME=spec.nodeName']);
  t.notOk(JSON.stringify(dep.spec.template.metadata.annotations ?? {}).includes('checksum'), 'no catalog checksum annotation');
  t.equal(docs[1].data['catalog.yaml'], CATALOG, 'the ConfigMap holds the catalog verbatim');
});

t.test('a Service selecting the agent pods: refuses with exit 1 naming it; --force renders with a warning', async (t) => {
  const dir = await setup(t);
  const r = await render(dir, [...BASE, '--port', '9500', '--manifests', 'manifests']);
  t.equal(r.status, 1);
  t.equal(r.stdout, '', 'nothing rendered');
  t.match(r.stderr, /refusing to render/);
  t.match(r.stderr, /Service shop\/web \(.*services\.yaml:1\) selects the agent pods of source "web" through app=web/);
  t.notMatch(r.stderr, /Service shop\/db/);
  const forced = await render(dir, [...BASE, '--port', '9500', '--manifests', 'manifests', '--force']);
  t.equal(forced.status, 0);
  t.match(forced.stderr, /warning \(forced\): Service shop\/web/);
  t.match(forced.stdout, /kind: Deployment/);
});

t.test("the agent port colliding with the source's containerPort: refuses and suggests --port", async (t) => {
  const dir = await setup(t);
  const r = await render(dir, [...BASE, '--manifests', 'workload-only.yaml']);
  t.equal(r.status, 1);
  t.match(r.stderr, /Deployment shop\/web .* uses port 9477.*--port/);
  const other = await render(dir, [...BASE, '--manifests', 'workload-only.yaml', '--port', '9478']);
  t.equal(other.status, 0);
  t.notMatch(other.stderr, /refusing|warning \(forced\)|9477/, 'no refusal or placement warning (the unused source "idle" is warned about)');
  t.match(other.stdout, /containerPort: 9478/);
  t.match(other.stdout, /--listen\n\s+- 0\.0\.0\.0:9478/);
});

t.test('several manifest paths after one --manifests', async (t) => {
  const dir = await setup(t);
  const r = await render(dir, [...BASE, '--port', '9500', '--manifests', 'workload-only.yaml', 'manifests/services.yaml']);
  t.equal(r.status, 1);
  t.match(r.stderr, /Service shop\/web/);
});

t.test('stable output: rendering twice, or from reordered labels, gives identical bytes', async (t) => {
  const dir = await setup(t);
  const a = await render(dir, BASE);
  const b = await render(dir, BASE);
  const c = await render(dir, ['--catalog', 'catalog-reordered.yaml', '--image', 'pathprobe:test']);
  t.equal(a.stdout, b.stdout);
  const stripCatalog = (s: string): string => s.replace(/catalog\.yaml: \|[\s\S]*?\n---/g, '');
  t.equal(stripCatalog(a.stdout), stripCatalog(c.stdout), 'label order in the catalog does not change the manifests');
});

t.test('--out DIR: one file per namespace plus a kustomization listing them; stale generated files go', async (t) => {
  const dir = await setup(t);
  const out = join(dir, 'out');
  await mkdir(out);
  await writeFile(join(out, 'gone.yaml'), '# Generated by `pathprobe render`. Do not edit: change the catalog and render again.\n');
  await writeFile(join(out, 'mine.yaml'), 'hand-written: true\n');
  const r = await render(dir, [...BASE, '--out', 'out']);
  t.equal(r.status, 0);
  t.equal(r.stdout, '');
  t.same((await readdir(out)).sort(), ['kustomization.yaml', 'mine.yaml', 'pathprobe.yaml', 'shop.yaml']);
  const kustomization = parseAllDocuments(await readFile(join(out, 'kustomization.yaml'), 'utf8'))[0]!.toJS();
  t.same(kustomization, { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['pathprobe.yaml', 'shop.yaml'] });
  const shop = parseAllDocuments(await readFile(join(out, 'shop.yaml'), 'utf8')).map((d) => d.toJS());
  t.ok(shop.every((o) => o.metadata.namespace === 'shop'), 'each file holds one namespace');
  const first = await readFile(join(out, 'shop.yaml'));
  await render(dir, [...BASE, '--out', 'out']);
  t.same(await readFile(join(out, 'shop.yaml')), first, 'same bytes on re-render');
});

t.test('--out that cannot be written: a located error, not a crash', async (t) => {
  const dir = await setup(t);
  // An existing file where the directory should be (it once came out as an internal error, exit 70).
  await t.rejects(render(dir, [...BASE, '--out', 'catalog.yaml']), {
    name: 'PathprobeError', code: 'PP_RENDER_OUT', message: /^cannot write --out .*catalog\.yaml: EEXIST \(mkdir .*catalog\.yaml\)$/,
  });
  t.equal(await readFile(join(dir, 'catalog.yaml'), 'utf8'), CATALOG, 'the file is untouched');
});

t.test('options: --no-podmonitor, --scrape-annotations, labels, namespaces', async (t) => {
  const dir = await setup(t);
  const r = await render(dir, [...BASE, '--no-podmonitor', '--scrape-annotations', '--monitoring-namespace', 'observability',
    '--prometheus-labels', 'app=prometheus,prometheus=k8s', '--explainer-namespace', '']);
  t.equal(r.status, 0);
  const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
  t.same(docs.map((d) => d.kind), ['ConfigMap', 'Deployment', 'NetworkPolicy']);
  t.same(docs[1].spec.template.metadata.annotations['prometheus.io/scrape'], 'true');
  t.same(docs[2].spec.ingress[0].from, [{
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } },
    podSelector: { matchLabels: { app: 'prometheus', prometheus: 'k8s' } },
  }]);
  const pm = await render(dir, [...BASE, '--podmonitor-labels', 'release=kube-prometheus-stack']);
  const podMonitor = parseAllDocuments(pm.stdout).map((d) => d.toJS()).find((d) => d.kind === 'PodMonitor');
  t.equal(podMonitor.metadata.labels.release, 'kube-prometheus-stack');
});

t.test('usage errors', async (t) => {
  const dir = await setup(t);
  await t.rejects(render(dir, ['--image', 'x']), UsageError);
  await t.rejects(render(dir, ['--catalog', 'catalog.yaml']), UsageError);
  await t.rejects(render(dir, [...BASE, '--port', '70000']), UsageError);
  await t.rejects(render(dir, [...BASE, '--prometheus-labels', 'no-equals']), UsageError);
  await t.rejects(render(dir, [...BASE, '--bogus']), UsageError);
  await t.rejects(render(dir, [...BASE, 'stray']), UsageError);
  // Namespaces Kubernetes would refuse: a usage error, not a manifest the API server rejects on apply.
  for (const [flag, bad] of [['--monitoring-namespace', 'Monitoring'], ['--monitoring-namespace', ''], ['--monitoring-namespace', 'a'.repeat(64)], ['--explainer-namespace', 'pathprobe_system']]) {
    await t.rejects(render(dir, [...BASE, flag!, bad!]), { name: 'UsageError', message: new RegExp(`^${flag} ".*: not a Kubernetes namespace$`) }, `${flag} ${JSON.stringify(bad)}`);
  }
  t.equal((await render(dir, [...BASE, '--monitoring-namespace', 'kube-prometheus', '--explainer-namespace', 'platform-1'])).status, 0, 'valid names render');
});

t.test('a source setting the reserved pathprobe/agent label is refused', async (t) => {
  const dir = await setup(t);
  await writeFile(join(dir, 'reserved.yaml'), CATALOG.replace('{app: web, tier: frontend}', "{app: web, 'pathprobe/agent': x}"));
  await t.rejects(render(dir, ['--catalog', 'reserved.yaml', '--image', 'x']), { code: 'PP_RENDER', message: /reserved label/ });
});

t.test('manifests render cannot read or expand: PP_MANIFEST_READ naming the file, not an internal error', async (t) => {
  const dir = await setup(t);
  // A dangling symlink in a manifests directory (a removed file kustomize still links).
  await symlink(join(dir, 'gone.yaml'), join(dir, 'manifests', 'link.yaml'));
  await t.rejects(render(dir, [...BASE, '--manifests', 'manifests']), {
    name: 'ManifestReadError', code: 'PP_MANIFEST_READ', message: `cannot read ${join(dir, 'manifests', 'link.yaml')}: ENOENT`,
  });
  // An alias bomb: 10^6 nodes from six lines.
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: c}', 'data:', `  l0: &l0 [${Array(10).fill('x').join(', ')}]`];
  for (let n = 1; n < 6; n++) lines.push(`  l${n}: &l${n} [${Array(10).fill(`*l${n - 1}`).join(', ')}]`);
  await writeFile(join(dir, 'bomb.yaml'), `${SERVICE}---\n${lines.join('\n')}\n`);
  await t.rejects(render(dir, [...BASE, '--manifests', 'bomb.yaml']), {
    code: 'PP_MANIFEST_READ', message: `${join(dir, 'bomb.yaml')}:14: YAML aliases expand to too many nodes (over 100)`,
  });
  await writeFile(join(dir, 'unanchored.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: *nowhere}\n');
  await t.rejects(render(dir, [...BASE, '--manifests', 'unanchored.yaml']), {
    code: 'PP_MANIFEST_READ', message: /unanchored\.yaml:1: Unresolved alias .*nowhere$/,
  });
});

t.test('--catalog is read no further than the catalog size limit (a pipe, /dev/stdin)', async (t) => {
  const dir = await setup(t);
  const accepted = endlessFifo(t, join(dir, 'piped.yaml'), 64);
  const r = await render(dir, ['--catalog', 'piped.yaml', '--image', 'x']);
  t.equal(r.status, 1);
  t.match(r.stderr, /piped\.yaml:1:1: file is larger than 4194304 bytes/);
  t.ok(await accepted < 16 * (1 << 20), 'render closed the pipe after about 4 MiB instead of reading all 64 MiB');
});

t.test('catalog problems are printed as validate prints them, file named as given; warnings too', async (t) => {
  const dir = await setup(t);
  await writeFile(join(dir, 'empty.yaml'), '');
  const empty = await render(dir, ['--catalog', 'empty.yaml', '--image', 'x']);
  t.same(empty, { status: 1, stdout: '', stderr: 'empty.yaml:1:1: file holds no YAML document; expected a PathCatalog mapping\n' });
  await writeFile(join(dir, 'bad.yaml'), CATALOG.replace('5432', '99999'));
  const bad = await render(dir, ['--catalog', 'bad.yaml', '--image', 'x']);
  t.equal(bad.status, 1);
  t.equal(bad.stderr, 'bad.yaml:5:3: warning: source "idle" is declared but no path uses it (at sources.idle)\nbad.yaml:9:9: tcp target "db.shop.svc.cluster.local:99999" has port 99999; a port is a number from 1 to 65535 (at paths[0].to)\n');
  await writeFile(join(dir, 'warn.yaml'), `${CATALOG}    expect: blocked\n`);
  const warned = await render(dir, ['--catalog', 'warn.yaml', '--image', 'x']);
  t.equal(warned.status, 0);
  t.match(warned.stderr, /^warn\.yaml:11:13: warning: expect: blocked without a control/m);
});

t.test('a Service in a symlinked manifests directory is seen (symlinks followed, loops read once)', async (t) => {
  const dir = await setup(t);
  await mkdir(join(dir, 'overlay'));
  await symlink(join(dir, 'manifests'), join(dir, 'overlay', 'base'));
  await symlink(dir, join(dir, 'manifests', 'loop'));
  const r = await render(dir, [...BASE, '--port', '9500', '--manifests', 'overlay']);
  t.equal(r.status, 1);
  t.equal(r.stderr.match(/Service shop\/web/g)?.length, 1, 'refused once, for the Service of the linked base');
});

t.test('--catalog DIR is refused with a message saying why, not EISDIR', async (t) => {
  const dir = await setup(t);
  await t.rejects(render(dir, ['--catalog', 'manifests', '--image', 'x']), {
    code: 'PP_CATALOG_READ', message: 'render --catalog takes one catalog file, and manifests is a directory', hint: /ConfigMap key catalog\.yaml/,
  });
});

t.test('a --manifests file is read no further than 256 MiB (a pipe from kubectl)', async (t) => {
  const dir = await setup(t);
  const accepted = endlessFifo(t, join(dir, 'cluster.yaml'), 400);
  await t.rejects(render(dir, [...BASE, '--manifests', 'cluster.yaml']), {
    code: 'PP_MANIFEST_READ', message: `${join(dir, 'cluster.yaml')} holds more than 256 MiB of manifests`,
  });
  t.ok(await accepted < 300 * (1 << 20), 'render closed the pipe after about 256 MiB instead of reading all 400');
});

t.test('an empty --manifests path (an unset shell variable) is a usage error, not the current directory', async (t) => {
  const dir = await setup(t);
  await t.rejects(render(dir, [...BASE, '--port', '9500', '--manifests', '']), { name: 'UsageError', message: 'a --manifests path is empty' });
});

t.test('names from the manifests in refusals and warnings are one escaped line', async (t) => {
  const dir = await setup(t);
  await writeFile(join(dir, 'forged.yaml'), SERVICE.replace('name: web, namespace: shop', 'name: "web\\n::error::forged\\e[2J", namespace: shop'));
  const refused = await render(dir, [...BASE, '--port', '9500', '--manifests', 'forged.yaml']);
  t.equal(refused.status, 1);
  t.match(refused.stderr, /^ {2}Service shop\/web\\n::error::forged\\u001b\[2J \(/m);
  const forced = await render(dir, [...BASE, '--port', '9500', '--manifests', 'forged.yaml', '--force']);
  t.match(forced.stderr, /^warning \(forced\): Service shop\/web\\n::error::forged\\u001b\[2J \(/m);
  for (const r of [refused, forced]) {
    t.notMatch(r.stderr, /\u001b/);
    t.equal(r.stderr.split('\n').filter((l) => l.trimStart().startsWith('::')).length, 0, 'no line a GitHub runner would take for a command');
  }
});

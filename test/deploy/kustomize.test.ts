// Builds every kustomization under deploy/kubernetes with the real kubectl, validates every object
// against the Kubernetes API schema, and checks pod security, RBAC and the committed example overlay.
import t from 'tap';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { unmet } from '../helpers/need.js';
import { findKubectl, kustomize } from './kubectl.js';
import { validateAgainstSchema } from './k8s-schema.js';
import { checkWorkloadPodSecurity } from '../../src/render/pod-security.js';
import { renderCommand } from '../../src/cli/render-command.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEPLOY = join(ROOT, 'deploy', 'kubernetes');
const EXAMPLE_AGENTS = join(DEPLOY, 'overlays', 'example', 'agents');

async function kustomizationDirs(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await kustomizationDirs(join(dir, e.name))));
    else if (e.name === 'kustomization.yaml') out.push(dir);
  }
  return out.sort();
}

type Obj = Record<string, any>;
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);
const id = (o: Obj): string => `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

const kubectl = await findKubectl();
if (!kubectl) {
  t.test('kubectl kustomize', async (t) => void unmet(t, 'kubectl not found (apt-get install kubernetes-client; CI expects /usr/bin/kubectl)'));
} else {
  const dirs = await kustomizationDirs(DEPLOY);
  t.ok(dirs.length >= 3, `found kustomizations: ${dirs.map((d) => relative(ROOT, d)).join(', ')}`);

  for (const dir of dirs) {
    t.test(`kubectl kustomize ${relative(ROOT, dir)}`, async (t) => {
      const objects = (await kustomize(kubectl, dir)) as Obj[];
      t.ok(objects.length > 0, 'renders objects');
      for (const o of objects) {
        // The base is combined with agents in many namespaces: an object without a namespace
        // lands in whatever namespace kubectl's context points at.
        if (!CLUSTER_SCOPED.has(o.kind)) t.ok(o.metadata?.namespace, `${id(o)} names its namespace`);
        await t.resolves(validateAgainstSchema(o), `${id(o)} is valid against the API schema`);
        const podLabels = o.spec?.template?.metadata?.labels ?? {};
        const isAgent = 'pathprobe/agent' in podLabels;
        const problems = checkWorkloadPodSecurity(o, { forbidServiceAccountToken: isAgent });
        t.same(problems, [], `${id(o)}: restricted pod security${isAgent ? ', no API token' : ''}`);
        if (o.kind === 'NetworkPolicy') {
          t.same(o.spec.policyTypes, ['Ingress'], `${id(o)} is ingress-only`);
          t.notOk('egress' in o.spec, `${id(o)} adds no egress allow`);
          t.equal(o.spec.ingress.length, 1, `${id(o)} has one ingress rule`);
          t.same(o.spec.ingress[0].from, [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
          }], `${id(o)} admits only the monitoring namespace's Prometheus pods`);
          t.same(o.spec.ingress[0].ports, [{ port: 9477, protocol: 'TCP' }], `${id(o)} admits only the metrics port`);
        }
        if (o.kind === 'Deployment' && isAgent) {
          const mounts = o.spec.template.spec.containers[0].volumeMounts as Obj[];
          t.notOk(mounts.some((m) => 'subPath' in m), `${id(o)} mounts the catalog without subPath`);
        }
      }
    });
  }

  t.test('explainer RBAC is read-only get/list/watch on exactly the five resources', async (t) => {
    const objects = (await kustomize(kubectl, join(DEPLOY, 'base'))) as Obj[];
    const roles = objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role');
    t.equal(roles.length, 1, 'one role in the base');
    const role = roles[0]!;
    t.equal(role.kind, 'ClusterRole');
    const grants = new Set<string>();
    for (const rule of role.rules as Obj[]) {
      t.notOk(rule.resourceNames || rule.nonResourceURLs, 'no resourceNames or nonResourceURLs');
      for (const g of rule.apiGroups) for (const r of rule.resources) for (const v of rule.verbs) grants.add(`${g}|${r}|${v}`);
    }
    const expected = new Set<string>();
    for (const [g, r] of [['', 'namespaces'], ['', 'pods'], ['', 'services'], ['discovery.k8s.io', 'endpointslices'], ['networking.k8s.io', 'networkpolicies']]) {
      for (const v of ['get', 'list', 'watch']) expected.add(`${g}|${r}|${v}`);
    }
    t.same([...grants].sort(), [...expected].sort(), 'grants are exactly get/list/watch on the five resources');
    const bindings = objects.filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding');
    t.equal(bindings.length, 1);
    t.same(bindings[0]!.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name });
    t.same(bindings[0]!.subjects, [{ kind: 'ServiceAccount', name: 'pathprobe-explainer', namespace: 'pathprobe' }]);
    const explainer = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'pathprobe-explainer');
    t.equal(explainer?.spec.template.spec.serviceAccountName, 'pathprobe-explainer', 'the explainer runs as that account');
  });
}

t.test('the committed example overlay equals a fresh render', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pathprobe-overlay-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const io = {
    stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {}, cwd: ROOT,
    stopSignal: new AbortController().signal,
  };
  const status = await renderCommand.run(
    ['--catalog', 'probes/examples/platform.yaml', '--image', 'pathprobe:0.1.0', '--out', dir], io,
  );
  t.equal(status, 0);
  const fresh = (await readdir(dir)).sort();
  const committed = (await readdir(EXAMPLE_AGENTS)).sort();
  const hint = 'regenerate: pathprobe render --catalog probes/examples/platform.yaml --image pathprobe:0.1.0 --out deploy/kubernetes/overlays/example/agents';
  t.same(committed, fresh, `same files (${hint})`);
  for (const f of fresh) {
    t.equal(await readFile(join(EXAMPLE_AGENTS, f), 'utf8'), await readFile(join(dir, f), 'utf8'), `${f} is up to date (${hint})`);
  }
});

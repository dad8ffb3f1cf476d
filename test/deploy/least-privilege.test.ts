// Least privilege on the rendered output, beyond kustomize.test.ts (which pins the base's exact
// grants): `pathprobe render` of every example catalog creates no identity and no access (no RBAC,
// no ServiceAccount, no Secret, no API token, no secret in env), and every kustomization under
// deploy/ (overlays included) grants only read verbs, to its own ServiceAccounts, in restricted
// namespaces.
import t from 'tap';
import { readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { parseAllDocuments } from 'yaml';
import { renderCommand } from '../../src/cli/render-command.js';
import { checkWorkloadPodSecurity, findPodSpec } from '../../src/render/pod-security.js';
import { unmet } from '../helpers/need.js';
import { findKubectl, kustomize } from './kubectl.js';

type Obj = Record<string, any>;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const id = (o: Obj): string => `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

async function render(catalog: string): Promise<Obj[]> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  const io = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, cwd: ROOT, stopSignal: new AbortController().signal };
  const status = await renderCommand.run(['--catalog', catalog, '--image', 'pathprobe:0.1.0'], io);
  if (status !== 0) throw new Error(`render ${catalog} exited ${status}`);
  return parseAllDocuments(out).map((d) => d.toJS() as Obj).filter((o) => o !== null);
}

/** Every way a container could be handed a Secret. */
function secretUses(spec: Obj): string[] {
  const out: string[] = [];
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])] as Obj[]) {
    for (const e of (c.env ?? []) as Obj[]) if (e.valueFrom?.secretKeyRef) out.push(`${c.name}: env ${e.name} from a Secret`);
    for (const e of (c.envFrom ?? []) as Obj[]) if (e.secretRef) out.push(`${c.name}: envFrom a Secret`);
  }
  for (const v of (spec.volumes ?? []) as Obj[]) {
    if (v.secret || v.projected?.sources?.some((s: Obj) => s.secret || s.serviceAccountToken)) out.push(`volume ${v.name} holds a Secret or token`);
  }
  return out;
}

t.test('render of every example catalog: restricted pods, and no identity or access created', async (t) => {
  const catalogs = (await readdir(join(ROOT, 'probes', 'examples'))).filter((f) => f.endsWith('.yaml')).sort();
  t.ok(catalogs.length >= 3, `catalogs: ${catalogs.join(', ')}`);
  for (const name of catalogs) {
    const objects = await render(`probes/examples/${name}`);
    const kinds = [...new Set(objects.map((o) => o.kind as string))].sort();
    t.ok(kinds.every((k) => ['ConfigMap', 'Deployment', 'NetworkPolicy', 'PodMonitor'].includes(k)), `${name}: only ${kinds.join(', ')}`);
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    t.ok(deployments.length > 0, `${name}: ${deployments.length} agent Deployments`);
    for (const d of deployments) {
      t.same(checkWorkloadPodSecurity(d, { forbidServiceAccountToken: true }), [], `${name}: ${id(d)} restricted + hardened`);
      const spec = findPodSpec(d)!.spec as Obj;
      t.equal(spec.automountServiceAccountToken, false, `${name}: ${id(d)} mounts no API token`);
      t.notOk(spec.serviceAccountName ?? spec.serviceAccount, `${name}: ${id(d)} names no ServiceAccount (the namespace default, tokenless)`);
      t.same(secretUses(spec), [], `${name}: ${id(d)} is handed no Secret`);
      t.notOk(spec.shareProcessNamespace || spec.hostAliases, `${name}: ${id(d)} shares no process namespace, rewrites no hosts`);
    }
    for (const np of objects.filter((o) => o.kind === 'NetworkPolicy')) {
      t.same(np.spec.policyTypes, ['Ingress'], `${name}: ${id(np)} is ingress-only (adds no egress allow)`);
    }
  }
});

const kubectl = await findKubectl();
t.test('every kustomization: read-only RBAC to its own ServiceAccounts, tokens only where bound, restricted namespaces', async (t) => {
  if (!kubectl) return void unmet(t, 'kubectl not found (apt-get install kubernetes-client; CI expects /usr/bin/kubectl)');
  const dirs: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(dir, e.name));
      else if (e.name === 'kustomization.yaml') dirs.push(dir);
    }
  };
  await walk(join(ROOT, 'deploy', 'kubernetes'));
  for (const dir of dirs.sort()) {
    const where = relative(ROOT, dir);
    const objects = (await kustomize(kubectl, dir)) as Obj[];
    const roles = objects.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole');
    for (const role of roles) {
      for (const [i, rule] of ((role.rules ?? []) as Obj[]).entries()) {
        const at = `${where}: ${id(role)} rule ${i}`;
        t.ok((rule.verbs as string[]).every((v) => ['get', 'list', 'watch'].includes(v)), `${at}: read verbs only (${rule.verbs})`);
        t.notOk([...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...(rule.verbs ?? [])].includes('*'), `${at}: no wildcard`);
        t.notOk((rule.resources as string[]).some((r) => /^(secrets|configmaps|serviceaccounts\/token|pods\/exec|pods\/attach|pods\/portforward|nodes\/proxy)$/.test(r)), `${at}: no secrets, exec or proxy`);
        t.notOk(rule.nonResourceURLs, `${at}: no non-resource URLs`);
      }
    }
    const accounts = new Set(objects.filter((o) => o.kind === 'ServiceAccount').map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
    const bound = new Set<string>();
    for (const b of objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
      t.ok(roles.some((r) => r.kind === b.roleRef.kind && r.metadata.name === b.roleRef.name), `${where}: ${id(b)} binds a role of ours, not ${b.roleRef.name}`);
      for (const s of b.subjects as Obj[]) {
        const sa = `${s.namespace}/${s.name}`;
        t.ok(s.kind === 'ServiceAccount' && accounts.has(sa), `${where}: ${id(b)} binds only our ServiceAccount (${s.kind} ${sa})`);
        bound.add(sa);
      }
    }
    for (const w of objects.filter((o) => findPodSpec(o))) {
      const spec = findPodSpec(w)!.spec as Obj;
      const sa = `${w.metadata.namespace}/${spec.serviceAccountName ?? 'default'}`;
      if (!bound.has(sa)) t.equal(spec.automountServiceAccountToken, false, `${where}: ${id(w)} has no grants, so mounts no token`);
      t.same(secretUses(spec), [], `${where}: ${id(w)} is handed no Secret`);
    }
    for (const ns of objects.filter((o) => o.kind === 'Namespace')) {
      t.equal(ns.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted', `${where}: ${id(ns)} enforces restricted`);
    }
  }
  t.ok(dirs.length >= 3, `${dirs.length} kustomizations checked`);
});

import t from 'tap';
import { agentDeployment } from '../../src/render/agent-deployment.js';
import { checkWorkloadPodSecurity, checkRestrictedPodSpec } from '../../src/render/pod-security.js';
import { RENDER_DEFAULTS } from '../../src/render/render-options.js';

const source = { name: 'eso', namespace: 'external-secrets', labels: { 'app.kubernetes.io/name': 'external-secrets' } };
const fresh = (): any => agentDeployment(source, { ...RENDER_DEFAULTS, image: 'pathprobe:test' });
const paths = (o: unknown, forbid = true): string[] => checkWorkloadPodSecurity(o as any, { forbidServiceAccountToken: forbid }).map((p) => p.path);
const C = 'spec.template.spec.containers[0]';

t.test('the rendered agent passes restricted and the hardening rules', async (t) => {
  t.same(checkWorkloadPodSecurity(fresh(), { forbidServiceAccountToken: true }), []);
});

t.test('each weakening of the agent is reported at its field', async (t) => {
  const cases: Array<[string, (d: any) => void, string]> = [
    ['runAsNonRoot', (d) => { delete d.spec.template.spec.securityContext.runAsNonRoot; delete d.spec.template.spec.containers[0].securityContext.runAsNonRoot; }, `${C}.securityContext.runAsNonRoot`],
    ['root uid', (d) => { d.spec.template.spec.containers[0].securityContext.runAsUser = 0; }, `${C}.securityContext.runAsUser`],
    ['privilege escalation', (d) => { d.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true; }, `${C}.securityContext.allowPrivilegeEscalation`],
    ['capabilities kept', (d) => { d.spec.template.spec.containers[0].securityContext.capabilities = { drop: ['NET_RAW'] }; }, `${C}.securityContext.capabilities.drop`],
    ['capability added', (d) => { d.spec.template.spec.containers[0].securityContext.capabilities.add = ['NET_ADMIN']; }, `${C}.securityContext.capabilities.add[0]`],
    ['seccomp unconfined', (d) => { d.spec.template.spec.securityContext.seccompProfile = { type: 'Unconfined' }; }, 'spec.template.spec.securityContext.seccompProfile.type'],
    ['writable root fs', (d) => { d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false; }, `${C}.securityContext.readOnlyRootFilesystem`],
    ['privileged', (d) => { d.spec.template.spec.containers[0].securityContext.privileged = true; }, `${C}.securityContext.privileged`],
    ['hostNetwork', (d) => { d.spec.template.spec.hostNetwork = true; }, 'spec.template.spec.hostNetwork'],
    ['hostPath volume', (d) => { d.spec.template.spec.volumes.push({ name: 'h', hostPath: { path: '/' } }); }, 'spec.template.spec.volumes[2].hostPath'],
    ['hostPort', (d) => { d.spec.template.spec.containers[0].ports[0].hostPort = 9477; }, `${C}.ports[0].hostPort`],
    ['API token', (d) => { delete d.spec.template.spec.automountServiceAccountToken; }, 'spec.template.spec.automountServiceAccountToken'],
    ['no memory limit', (d) => { delete d.spec.template.spec.containers[0].resources.limits.memory; }, `${C}.resources.limits.memory`],
    ['no liveness probe', (d) => { delete d.spec.template.spec.containers[0].livenessProbe; }, `${C}.livenessProbe`],
    ['no readiness probe', (d) => { delete d.spec.template.spec.containers[0].readinessProbe; }, `${C}.readinessProbe`],
    ['no grace period', (d) => { delete d.spec.template.spec.terminationGracePeriodSeconds; }, 'spec.template.spec.terminationGracePeriodSeconds'],
    ['unsafe sysctl', (d) => { d.spec.template.spec.securityContext.sysctls = [{ name: 'net.core.somaxconn', value: '1' }]; }, 'spec.template.spec.securityContext.sysctls[0]'],
  ];
  for (const [what, mutate, path] of cases) {
    const d = fresh();
    mutate(d);
    t.ok(paths(d).includes(path), `${what} → ${path} (got ${paths(d).join(', ') || 'nothing'})`);
  }
});

t.test('an API token is fine where the caller allows it (the explainer)', async (t) => {
  const d = fresh();
  d.spec.template.spec.automountServiceAccountToken = true;
  t.same(paths(d, false), []);
  t.ok(paths(d, true).includes('spec.template.spec.automountServiceAccountToken'));
});

t.test('a container-level seccomp profile satisfies the rule; init containers are checked too', async (t) => {
  const d = fresh();
  const spec = d.spec.template.spec;
  delete spec.securityContext.seccompProfile;
  spec.containers[0].securityContext.seccompProfile = { type: 'RuntimeDefault' };
  t.same(checkRestrictedPodSpec(spec, 'spec'), []);
  spec.initContainers = [{ name: 'init', image: 'x' }];
  const found = checkRestrictedPodSpec(spec, 'spec').map((p) => p.path);
  t.ok(found.includes('spec.initContainers[0].securityContext.allowPrivilegeEscalation'));
});

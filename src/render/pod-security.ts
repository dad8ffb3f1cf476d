// The pod security checker that `render` runs on its own output and the tests run on every
// workload under deploy/: the Pod Security Standards "restricted" profile plus pathprobe's hardening.
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';

/** One violation: the field (dotted path from the object root) and what is wrong with it. */
export interface PodSecurityProblem {
  path: string;
  message: string;
}

/** What pathprobe demands on top of "restricted". */
export interface HardeningOptions {
  /** Agents need no API access: the pod must set `automountServiceAccountToken: false`. */
  forbidServiceAccountToken: boolean;
}

// Volume types the restricted profile allows (Pod Security Standards, "Volume Types").
const RESTRICTED_VOLUME_TYPES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);
// Sysctls the baseline profile allows ("Sysctls").
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const SECCOMP_ALLOWED = new Set(['RuntimeDefault', 'Localhost']);

interface NamedContainer {
  container: IContainer;
  at: string;
}

function allContainers(spec: IPodSpec, at: string): NamedContainer[] {
  const out: NamedContainer[] = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    (spec[field] ?? []).forEach((c, i) => out.push({ container: c as IContainer, at: `${at}.${field}[${i}]` }));
  }
  return out;
}

/**
 * Checks a pod spec against the Pod Security Standards "restricted" profile (which includes
 * "baseline"). `at` is the dotted path of the pod spec in its object, e.g. `spec.template.spec`.
 */
export function checkRestrictedPodSpec(spec: IPodSpec, at: string): PodSecurityProblem[] {
  const problems: PodSecurityProblem[] = [];
  const bad = (path: string, message: string): void => { problems.push({ path, message }); };
  const pod = spec.securityContext ?? {};

  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[f] === true) bad(`${at}.${f}`, `${f} must not be true`);
  }
  if (pod.windowsOptions?.hostProcess === true) bad(`${at}.securityContext.windowsOptions.hostProcess`, 'host processes are forbidden');
  for (const [i, v] of (spec.volumes ?? []).entries()) {
    const types = Object.keys(v).filter((k) => k !== 'name');
    for (const t of types) {
      if (!RESTRICTED_VOLUME_TYPES.has(t)) bad(`${at}.volumes[${i}].${t}`, `volume type ${t} is not allowed (restricted)`);
    }
  }
  for (const [i, s] of (pod.sysctls ?? []).entries()) {
    if (!SAFE_SYSCTLS.has(s.name)) bad(`${at}.securityContext.sysctls[${i}]`, `sysctl ${s.name} is not in the safe set`);
  }
  if (pod.runAsUser === 0) bad(`${at}.securityContext.runAsUser`, 'runAsUser must not be 0');
  if (pod.seccompProfile && !SECCOMP_ALLOWED.has(pod.seccompProfile.type)) {
    bad(`${at}.securityContext.seccompProfile.type`, 'seccompProfile must be RuntimeDefault or Localhost');
  }
  problems.push(...checkSeLinux(pod.seLinuxOptions, `${at}.securityContext.seLinuxOptions`));

  for (const { container: c, at: cat } of allContainers(spec, at)) {
    const sc: ISecurityContext = c.securityContext ?? {};
    const scAt = `${cat}.securityContext`;
    if (sc.privileged === true) bad(`${scAt}.privileged`, 'privileged containers are forbidden');
    if (sc.windowsOptions?.hostProcess === true) bad(`${scAt}.windowsOptions.hostProcess`, 'host processes are forbidden');
    if (sc.procMount !== undefined && sc.procMount !== 'Default') bad(`${scAt}.procMount`, 'procMount must be Default');
    for (const [i, p] of (c.ports ?? []).entries()) {
      if (p.hostPort !== undefined && p.hostPort !== 0) bad(`${cat}.ports[${i}].hostPort`, 'hostPort is forbidden');
    }
    if (sc.allowPrivilegeEscalation !== false) bad(`${scAt}.allowPrivilegeEscalation`, 'allowPrivilegeEscalation must be false');
    const runAsNonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
    if (runAsNonRoot !== true) bad(`${scAt}.runAsNonRoot`, 'runAsNonRoot must be true (pod or container)');
    if (sc.runAsUser === 0) bad(`${scAt}.runAsUser`, 'runAsUser must not be 0');
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp === undefined || !SECCOMP_ALLOWED.has(seccomp)) {
      bad(`${scAt}.seccompProfile.type`, 'seccompProfile must be RuntimeDefault or Localhost (pod or container)');
    }
    const drop = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) bad(`${scAt}.capabilities.drop`, 'capabilities must drop ALL');
    for (const [i, cap] of (sc.capabilities?.add ?? []).entries()) {
      if (cap !== 'NET_BIND_SERVICE') bad(`${scAt}.capabilities.add[${i}]`, `capability ${cap} may not be added`);
    }
    problems.push(...checkSeLinux(sc.seLinuxOptions, `${scAt}.seLinuxOptions`));
  }
  return problems;
}

function checkSeLinux(opts: ISecurityContext['seLinuxOptions'], at: string): PodSecurityProblem[] {
  if (!opts) return [];
  const out: PodSecurityProblem[] = [];
  const allowedTypes = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];
  if (opts.type !== undefined && !allowedTypes.includes(opts.type)) out.push({ path: `${at}.type`, message: `SELinux type ${opts.type} is not allowed` });
  if (opts.user) out.push({ path: `${at}.user`, message: 'SELinux user must not be set' });
  if (opts.role) out.push({ path: `${at}.role`, message: 'SELinux role must not be set' });
  return out;
}

/**
 * pathprobe's own rules beyond "restricted": read-only root filesystem, explicit non-root uid,
 * cpu+memory requests and limits, liveness and readiness probes, and (for agents) no API token.
 */
export function checkPathprobeHardening(spec: IPodSpec, at: string, options: HardeningOptions): PodSecurityProblem[] {
  const problems: PodSecurityProblem[] = [];
  const bad = (path: string, message: string): void => { problems.push({ path, message }); };
  if (options.forbidServiceAccountToken && spec.automountServiceAccountToken !== false) {
    bad(`${at}.automountServiceAccountToken`, 'must be false: the agent needs no API access');
  }
  if (spec.terminationGracePeriodSeconds === undefined) bad(`${at}.terminationGracePeriodSeconds`, 'must be set');
  for (const { container: c, at: cat } of allContainers(spec, at)) {
    const sc = c.securityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true) bad(`${cat}.securityContext.readOnlyRootFilesystem`, 'must be true');
    const uid = sc.runAsUser ?? spec.securityContext?.runAsUser;
    if (uid === undefined) bad(`${cat}.securityContext.runAsUser`, 'an explicit non-root uid must be set');
    for (const kind of ['requests', 'limits'] as const) {
      for (const r of ['cpu', 'memory']) {
        if (c.resources?.[kind]?.[r] === undefined) bad(`${cat}.resources.${kind}.${r}`, 'must be set');
      }
    }
    if (!cat.includes('initContainers')) {
      if (!c.livenessProbe) bad(`${cat}.livenessProbe`, 'must be set');
      if (!c.readinessProbe) bad(`${cat}.readinessProbe`, 'must be set');
    }
  }
  return problems;
}

/** Where the pod spec sits in a workload object, for the kinds that carry one. */
export function findPodSpec(object: { kind?: unknown; spec?: unknown }): { spec: IPodSpec; at: string } | undefined {
  const spec = object.spec as Record<string, any> | undefined;
  if (!spec) return undefined;
  switch (object.kind) {
    case 'Pod':
      return { spec: spec as IPodSpec, at: 'spec' };
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': case 'ReplicationController':
      return spec.template?.spec ? { spec: spec.template.spec as IPodSpec, at: 'spec.template.spec' } : undefined;
    case 'CronJob':
      return spec.jobTemplate?.spec?.template?.spec
        ? { spec: spec.jobTemplate.spec.template.spec as IPodSpec, at: 'spec.jobTemplate.spec.template.spec' }
        : undefined;
    default:
      return undefined;
  }
}

/** Restricted + hardening for one workload object; [] when it carries no pod spec. */
export function checkWorkloadPodSecurity(object: { kind?: unknown; spec?: unknown }, options: HardeningOptions): PodSecurityProblem[] {
  const found = findPodSpec(object);
  if (!found) return [];
  return [...checkRestrictedPodSpec(found.spec, found.at), ...checkPathprobeHardening(found.spec, found.at, options)];
}

// The alert rules: the one source of truth for deploy/prometheus/pathprobe-rules.yaml and the
// PrometheusRule in deploy/kubernetes/base (both written by src/alerts/generate.ts).
import {
  FROM, L_PATH, LIST_POLICIES, PATH_PHRASE, TO_NS, VERDICT_SENTENCE, meaning, perResult, runbookUrl,
} from './annotations.js';
import {
  BLOCKED_CLASSES, BREACH_WINDOW, DNS_CLASSES, PATH_KEY, REFUSED_CLASSES, UNHEALTHY_CLASSES, failingFor,
  indent, isolationBreach, isolationInconclusive, readyEndpointsOrMinusOne, selector, timesOnPath,
  unlessSingleFailedProbe, verdictCodeOrZero, withPathInfo,
} from './promql.js';
import { runbookAnchor } from './links.js';
import { parseDuration } from '../catalog/duration.js';

/** The alert names of the contract (PRODUCT.md), plus PathProbeInconclusive. */
export const ALERT_NAMES = [
  'PathProbeBlocked',
  'PathProbeRefused',
  'PathProbeDNSFailure',
  'PathProbeUnhealthy',
  'PathProbeIsolationBreach',
  'PathProbeInconclusive',
  'PathProbeStale',
  'PathProbeAgentDown',
  'PathProbeCatalogReloadFailed',
] as const;

/** One alert name. */
export type AlertName = (typeof ALERT_NAMES)[number];

/** One Prometheus alerting rule. */
export interface AlertRule {
  alert: AlertName;
  expr: string;
  /** Prometheus' `for:`. The path alerts have none: they hold on a window in `expr` (`hold`). */
  for?: string;
  /**
   * How long a path alert's path must have failed before it fires, whatever the failure class
   * (promql.ts failingThroughout; not a field of the rules file).
   */
  hold?: string;
  labels?: Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string };
}

/** One rule group. */
export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

/**
 * The scrape job(s) of the agents: `pathprobe-agent` from a plain scrape config, or
 * `<namespace>/pathprobe-agent` from a PodMonitor of that name. The explainer's job
 * (`pathprobe-explainer`) does not match.
 */
export const AGENT_JOB_MATCHER = 'job=~"(.+/)?pathprobe(-agent)?"';

const REACHABLE = ['expect="reachable"'];
const SERVICE_OF_TARGET = '(?:[a-z]+://)?([a-z0-9-]+)[.][a-z0-9-]+[.]svc([.:/].*)?';

/**
 * How long a path must have failed before Blocked, Refused or DNSFailure fires (whichever its
 * current class picks), and before Unhealthy does.
 */
const PATH_FOR = '2m';
const UNHEALTHY_FOR = '3m';

/** A duration in seconds, for expressions that compare a path's interval with a hold. */
function forSeconds(duration: string): number {
  const parsed = parseDuration(duration);
  if ('error' in parsed) throw new RangeError(parsed.error);
  return parsed.ms / 1000;
}

const blocked = (hold: string): AlertRule => ({
  alert: 'PathProbeBlocked',
  expr: timesOnPath(unlessSingleFailedProbe(withPathInfo(failingFor(BLOCKED_CLASSES, hold), REACHABLE), forSeconds(hold)), verdictCodeOrZero()),
  hold,
  annotations: {
    summary: `Path ${L_PATH} is blocked: timeout from ${FROM} to {{ $labels.target }}, likely a NetworkPolicy drop`,
    description:
      `${PATH_PHRASE} must be reachable, but its probes end in "timeout": ${meaning('timeout')}. ` +
      `That is likely a NetworkPolicy drop (denied packets are dropped silently, so the client waits). ` +
      `${VERDICT_SENTENCE} ` +
      `Check first: list ${LIST_POLICIES} and look for the missing allow: ingress at the destination ` +
      `from namespace {{ $labels.from_namespace }}, and egress at the source if an egress policy selects it. ` +
      `pathprobe explain names the deciding policies and suggests the allow.`,
    runbook_url: runbookUrl('PathProbeBlocked'),
  },
});

const refused = (hold: string): AlertRule => ({
  alert: 'PathProbeRefused',
  expr: timesOnPath(
    [
      `label_replace(`,
      indent(unlessSingleFailedProbe(withPathInfo(failingFor(REFUSED_CLASSES, hold), REACHABLE), forSeconds(hold))),
      `  , "service", "$1", "target", "${SERVICE_OF_TARGET}"`,
      `)`,
    ].join('\n'),
    readyEndpointsOrMinusOne(),
  ),
  hold,
  annotations: {
    summary: `Path ${L_PATH} is refused: nothing accepts connections at {{ $labels.target }}`,
    description:
      `${PATH_PHRASE} must be reachable, but its probes end in "refused": ${meaning('refused')}: ` +
      `nothing listens on the port, or the Service has no ready endpoints. Not a NetworkPolicy drop ` +
      `(a drop times out).{{ if ge $value 0.0 }} The policy explainer counts {{ $value }} ready endpoint(s).{{ end }} ` +
      `Check first: the endpoints (kubectl get endpointslices -n ${TO_NS} ` +
      `-l kubernetes.io/service-name={{ if $labels.service }}{{ $labels.service }}{{ else }}<service>{{ end }}) ` +
      `and that the port in {{ $labels.target }} is the Service port whose targetPort the pods listen on.`,
    runbook_url: runbookUrl('PathProbeRefused'),
  },
});

const dnsFailure = (hold: string): AlertRule => ({
  alert: 'PathProbeDNSFailure',
  expr: unlessSingleFailedProbe(withPathInfo(failingFor(DNS_CLASSES, hold), REACHABLE), forSeconds(hold)),
  hold,
  annotations: {
    summary: `Path ${L_PATH}: DNS fails ({{ $labels.result }}) in namespace {{ $labels.from_namespace }}`,
    description:
      `${PATH_PHRASE} must be reachable, but its probes end in "{{ $labels.result }}": ` +
      perResult([
        ['dns_timeout',
          `${meaning('dns_timeout')}. DNS egress from the source is likely denied; every lookup then waits ` +
          `out the resolver timeout (about 5 s per attempt), so applications get slow before they fail. ` +
          `Check first: the egress policies of the source (kubectl get networkpolicy -n {{ $labels.from_namespace }}) ` +
          `must allow kube-dns (namespace kube-system, pods k8s-app=kube-dns) on UDP 53 AND TCP 53.`],
        ['dns_nxdomain',
          `${meaning('dns_nxdomain')}: a wrong name, or the Service is missing. The DNS server answered, ` +
          `so this is not a NetworkPolicy drop. Check first: the name in the catalog and ` +
          `kubectl get service -n ${TO_NS}.`],
        ['dns_error',
          `${meaning('dns_error')}: a DNS server fault. The server answered, so this is not a NetworkPolicy ` +
          `drop. Check first: the DNS pods and their logs (kubectl -n kube-system logs -l k8s-app=kube-dns).`],
      ]),
    runbook_url: runbookUrl('PathProbeDNSFailure'),
  },
});

const unhealthy = (hold: string): AlertRule => ({
  alert: 'PathProbeUnhealthy',
  expr: timesOnPath(unlessSingleFailedProbe(withPathInfo(failingFor(UNHEALTHY_CLASSES, hold), REACHABLE), forSeconds(hold)), verdictCodeOrZero()),
  hold,
  annotations: {
    summary: `Path ${L_PATH} fails with {{ $labels.result }} from ${FROM} to {{ $labels.target }}`,
    description:
      `${PATH_PHRASE} must be reachable, but its probes end in "{{ $labels.result }}": ` +
      perResult([
        ['unreachable',
          `${meaning('unreachable')}: a REJECT-mode policy (e.g. Cilium policy-deny-response: icmp) or routing. ` +
          `${VERDICT_SENTENCE} Check first: ${LIST_POLICIES} as for a timeout, then routes and nodes.`],
        ['reset',
          `${meaning('reset')}: a proxy, service mesh or the application rejected it; the network path is open. ` +
          `Check first: mesh authorization policies and sidecar logs, then the application's logs.`],
        ['tls_error',
          `${meaning('tls_error')}; the network path is open. Check first: the server certificate, ` +
          `its CA and the server name (SNI) the path uses.`],
        ['http_timeout',
          `${meaning('http_timeout')}: the application is hung or overloaded; the connection was made, ` +
          `so this is not a NetworkPolicy drop. Check first: the destination pods' logs and load.`],
        ['http_status',
          `${meaning('http_status')}: an application fault; the network path is open. Check first: the ` +
          `application's logs and the path's expectStatus in the catalog.`],
      ], `${meaning('error')}. Check first: the agent's log for this path.`),
    runbook_url: runbookUrl('PathProbeUnhealthy'),
  },
});

const isolationBreachRule: AlertRule = {
  alert: 'PathProbeIsolationBreach',
  expr: isolationBreach(),
  for: '1m',
  annotations: {
    summary: `Isolation breach: path ${L_PATH} from ${FROM} reached {{ $labels.target }}`,
    description:
      `${PATH_PHRASE} must stay blocked, but a probe of the last ${BREACH_WINDOW} ended in "{{ $labels.result }}": ` +
      `{{ if eq $labels.result "ok" }}the connection succeeded{{ else }}packets reached the destination host{{ end }}, ` +
      `so no NetworkPolicy isolates it.{{ if $labels.control }} Its control {{ $labels.control }} is up, so the test is valid.{{ end }} ` +
      `Check first: which allow is too broad: the ingress policies of the destination ` +
      `(kubectl get networkpolicy -n ${TO_NS} -o yaml) for an empty namespaceSelector or a rule without from, ` +
      `a missing default-deny, and the egress policies of the source ` +
      `(kubectl get networkpolicy -n {{ $labels.from_namespace }} -o yaml). pathprobe explain names the allowing policies.`,
    runbook_url: runbookUrl('PathProbeIsolationBreach'),
  },
};

const inconclusive: AlertRule = {
  alert: 'PathProbeInconclusive',
  expr: isolationInconclusive(),
  for: '5m',
  annotations: {
    summary: `Isolation of path ${L_PATH} is unverified: the test proves nothing`,
    description:
      `${PATH_PHRASE} must stay blocked; its probes end in "{{ $labels.result }}", ` +
      `{{ if match "^(dns_.*|error)$" $labels.result }}so the probe never sent a packet to the destination ` +
      `and isolation is untested. Check first: the source's DNS egress (UDP and TCP 53 to kube-dns) and the agent's log.` +
      `{{ else }}but its control path {{ $labels.control }} (a reachable path to the same destination) is failing ` +
      `or has no result, so the block proves nothing: a dead destination also times out. Check first: ` +
      `the control's own alert and result, fix it, and the isolation test becomes meaningful again.{{ end }}`,
    runbook_url: runbookUrl('PathProbeInconclusive'),
  },
};

/** Seconds a path may sit in the catalog without any probe result at all. */
export const NEVER_PROBED_SECONDS = 900;

const stale: AlertRule = {
  alert: 'PathProbeStale',
  // First branch: the age of the last result as of the scrape that read it (timestamp() is the
  // scrape's time), not as of the evaluation: Prometheus' copy is up to a scrape interval old, so
  // `time() - last probe` exceeded 3 intervals for any path probed more often than a third of the
  // scrape interval (5s paths, 30s scrapes) while the agent kept its schedule. A failing scrape
  // marks the series stale; PathProbeAgentDown covers that.
  // Second branch: a path in the catalog for 15m that has no probe result at all has no
  // timestamp to age. Its value is 15m. The agent probes every path first within a minute of
  // scheduling it, whatever its interval (schedule/jitter.ts firstRunsMs), so 15m without one is
  // never just a slow path waiting for its phase (before that, a 10m path's first probe could
  // come 10m after a restart, and such paths had to be left out of this branch).
  expr: withPathInfo(`(\n${indent([
    `(`,
    `  min by (${PATH_KEY}) (timestamp(pathprobe_path_last_probe_timestamp_seconds) - pathprobe_path_last_probe_timestamp_seconds)`,
    `  > 3 * max by (${PATH_KEY}) (pathprobe_path_interval_seconds)`,
    `)`,
    `or`,
    `(`,
    `  ${NEVER_PROBED_SECONDS} * group by (${PATH_KEY}) (pathprobe_path_info offset ${NEVER_PROBED_SECONDS / 60}m)`,
    `  and on (${PATH_KEY}) pathprobe_path_info`,
    `  unless on (${PATH_KEY}) last_over_time(pathprobe_path_last_probe_timestamp_seconds[${NEVER_PROBED_SECONDS / 60}m])`,
    `)`,
  ].join('\n'))}\n)`),
  for: '1m',
  annotations: {
    summary: `No fresh result for path ${L_PATH} for {{ $value | humanizeDuration }}`,
    description:
      `${PATH_PHRASE} has had no probe result for {{ $value | humanizeDuration }}, more than 3 probe intervals ` +
      `(or none at all since the path entered the catalog). Check first: the agent for source {{ $labels.source }} ` +
      `in namespace {{ $labels.from_namespace }}: its pods and log, pathprobe_scheduler_lag_seconds and ` +
      `pathprobe_probes_skipped_total. Not a network problem by itself, but every alert about this path is out of date.`,
    runbook_url: runbookUrl('PathProbeStale'),
  },
};

const agentDown: AlertRule = {
  alert: 'PathProbeAgentDown',
  expr: `${selector('up', [AGENT_JOB_MATCHER])} == 0\nor\nabsent(${selector('up', [AGENT_JOB_MATCHER])})`,
  for: '3m',
  labels: { severity: 'critical' },
  annotations: {
    summary: `{{ if $labels.instance }}pathprobe agent {{ $labels.instance }} is down{{ else }}No pathprobe agent is being scraped{{ end }}`,
    description:
      `{{ if $labels.instance }}Prometheus cannot scrape the pathprobe agent {{ $labels.instance }} (job {{ $labels.job }})` +
      `{{ else }}Prometheus has no pathprobe agent target at all{{ end }}: the paths it probes get no fresh results ` +
      `and no path alert can fire for them. Check first: the agent pods (kubectl get pods -A -l pathprobe/agent) and ` +
      `the NetworkPolicy that lets Prometheus reach the agents' metrics port: in a default-deny namespace a missing ` +
      `allow makes the scrape itself time out (context deadline exceeded).`,
    runbook_url: runbookAnchor('PathProbeAgentDown'),
  },
};

const catalogReloadFailed: AlertRule = {
  alert: 'PathProbeCatalogReloadFailed',
  expr: `min by (cluster, namespace) (pathprobe_catalog_last_reload_successful) == 0`,
  for: '5m',
  labels: { severity: 'warning' },
  annotations: {
    summary: `pathprobe could not load the changed catalog{{ if $labels.namespace }} in namespace {{ $labels.namespace }}{{ end }}`,
    description:
      `The last catalog reload{{ if $labels.namespace }} in namespace {{ $labels.namespace }}{{ end }} failed. The agents keep ` +
      `probing with the last good catalog, so changes since then are not in effect. Check first: ` +
      `pathprobe validate on the catalog files (every error names file:line:col) and the agent's log.`,
    runbook_url: runbookAnchor('PathProbeCatalogReloadFailed'),
  },
};

/** Options of ruleGroups(). */
export interface RuleGroupOptions {
  /**
   * Multiplies every `for:` duration and the path alerts' holds (rounded to whole seconds, at
   * least 1s). Only for tests: the end-to-end test (test/e2e) runs the shipped rules against a
   * real Prometheus with the minutes scaled down to seconds; labels and annotations stay the
   * same, and expressions differ only in the holds.
   * The shipped files always use 1.
   */
  forScale?: number;
}

/** Every rule group, in file order. */
export function ruleGroups(options: RuleGroupOptions = {}): RuleGroup[] {
  const scale = options.forScale ?? 1;
  const scaled = (duration: string) => (scale === 1 ? duration : scaleFor(duration, scale));
  const pathHold = scaled(PATH_FOR);
  const groups: RuleGroup[] = [
    { name: 'pathprobe.paths', rules: [blocked(pathHold), refused(pathHold), dnsFailure(pathHold), unhealthy(scaled(UNHEALTHY_FOR))] },
    { name: 'pathprobe.isolation', rules: [isolationBreachRule, inconclusive] },
    { name: 'pathprobe.freshness', rules: [stale, agentDown, catalogReloadFailed] },
  ];
  if (scale === 1) return groups;
  return groups.map((g) => ({ ...g, rules: g.rules.map((r) => (r.for === undefined ? r : { ...r, for: scaled(r.for) })) }));
}

/** `for` times `scale` in whole seconds (at least 1s), e.g. 2m × 1/20 = `6s`. */
export function scaleFor(duration: string, scale: number): string {
  const parsed = parseDuration(duration);
  if (!(scale > 0) || 'error' in parsed) throw new RangeError(`cannot scale for: ${duration} by ${scale}`);
  return `${Math.max(1, Math.round((parsed.ms * scale) / 1000))}s`;
}

// The dashboard's PromQL, filtered by its variables. Isolation logic comes from the alert rules'
// builders (src/alerts/promql.ts), so the dashboard and the alerts never disagree.
import { RESULT_CLASSES } from '../classify/result-class.js';
import { AGENT_JOB_MATCHER } from '../alerts/rules.js';
import { runbookAnchor } from '../alerts/links.js';
import {
  BLOCKED_CLASSES, DNS_CLASSES, INFO_LABELS, PATH_KEY, REACHED_CLASSES, REFUSED_CLASSES, UNHEALTHY_CLASSES,
  UNTESTED_CLASSES, controlUp, indent, isolationBreach, isolationInconclusive, selector,
  type Scope,
} from '../alerts/promql.js';

/** Matches the cluster variable. */
export const CLUSTER = ['cluster=~"$cluster"'];
/** Per-path series (no namespace labels): cluster and path variables. */
export const PATH = [...CLUSTER, 'path=~"$path"'];
/** pathprobe_path_info: every variable. */
export const INFO = [...PATH, 'from_namespace=~"$from_namespace"', 'to_namespace=~"$to_namespace"'];

const SCOPE: Scope = { path: PATH, info: INFO, cluster: CLUSTER };

/** `expr` restricted to the paths the namespace variables select. */
export function inScope(expr: string, infoMatchers: readonly string[] = []): string {
  return `${expr}\nand on (${PATH_KEY}) ${selector('pathprobe_path_info', [...INFO, ...infoMatchers])}`;
}

/** The last result of each path as its index in RESULT_CLASSES (ok = 0). */
export function resultCode(): string {
  const terms = RESULT_CLASSES.map((c, i) => `${selector('pathprobe_path_result', [`result="${c}"`, ...PATH])} * ${i}`);
  return `max by (${PATH_KEY}) (\n  ${terms.join('\n  or ')}\n)`;
}

/** Worst result code per (source namespace, destination namespace) over required paths. */
export function statusMatrix(): string {
  const info = selector('pathprobe_path_info', [...INFO, 'expect="reachable"']);
  return [
    `max by (from_namespace, to_namespace) (`,
    indent(resultCode()),
    `  * on (${PATH_KEY}) group_left (from_namespace, to_namespace)`,
    `    label_replace(topk by (${PATH_KEY}) (1, ${info}), "to_namespace", "(outside)", "to_namespace", "")`,
    `)`,
  ].join('\n');
}

/** Result code per path over time, for the state timeline. */
export function resultCodePerPath(): string {
  return inScope(resultCode());
}

/** Paths not behaving as declared, with their class, catalog labels and runbook link. */
export function currentFailures(): string {
  const failing = [
    `max by (${PATH_KEY}, result) (${selector('pathprobe_path_result', PATH)} == 1)`,
    `* on (${PATH_KEY}) group_left (${INFO_LABELS.join(', ')})`,
    `  topk by (${PATH_KEY}) (1, ${selector('pathprobe_path_info', INFO)})`,
    `and on (${PATH_KEY}) (max by (${PATH_KEY}) (${selector('pathprobe_path_up', PATH)}) == 0)`,
  ].join('\n');
  // The runbook column: the section of the alert the path's expect and class raise, the path's own
  // runbook when it has one. A blocked path that never sent a packet (DNS, error) is
  // PathProbeInconclusive, not a breach (a reached destination whose control is down is too, but
  // this table does not join the control). `expect_result` ("blocked:dns_timeout") is dropped again.
  const steps: [string, string][] = [
    [`reachable:(${resultMatcherRegex(BLOCKED_CLASSES)})`, runbookAnchor('PathProbeBlocked')],
    [`reachable:(${resultMatcherRegex(REFUSED_CLASSES)})`, runbookAnchor('PathProbeRefused')],
    [`reachable:(${resultMatcherRegex(DNS_CLASSES)})`, runbookAnchor('PathProbeDNSFailure')],
    [`reachable:(${resultMatcherRegex(UNHEALTHY_CLASSES)})`, runbookAnchor('PathProbeUnhealthy')],
    [`blocked:(${resultMatcherRegex(['ok', ...REACHED_CLASSES])})`, runbookAnchor('PathProbeIsolationBreach')],
    [`blocked:(${resultMatcherRegex(UNTESTED_CLASSES)})`, runbookAnchor('PathProbeInconclusive')],
  ];
  let expr = `label_join(
${indent(failing)},
  "expect_result", ":", "expect", "result"
)`;
  for (const [regex, url] of steps) {
    expr = `label_replace(
${indent(expr)},
  "runbook", "${url}", "expect_result", "${regex}"
)`;
  }
  expr = `label_replace(
${indent(expr)},
  "expect_result", "", "expect_result", ".*"
)`;
  return `label_replace(
${indent(expr)},
  "runbook", "$1", "runbook_url", "(.+)"
)`;
}

function resultMatcherRegex(classes: readonly string[]): string {
  return classes.join('|');
}

/** Seconds since each path last behaved as declared. */
export function sinceLastSuccess(): string {
  return inScope(`time() - max by (${PATH_KEY}) (${selector('pathprobe_path_last_success_timestamp_seconds', PATH)})`);
}

/** The explainer's verdict per path (label `verdict`), where the explainer runs. */
export function policyVerdict(): string {
  return inScope(`max by (${PATH_KEY}, verdict) (${selector('pathprobe_policy_verdict', PATH)} == 1)`);
}

/** Number of paths in each result class over time (agent replicas of a path count once). */
export function pathsPerClass(): string {
  return `count by (result) (\n${indent(inScope(`max by (${PATH_KEY}, result) (${selector('pathprobe_path_result', PATH)} == 1)`))}\n)`;
}

/** Probes per second by result class. */
export function probeRate(): string {
  return `sum by (result) (\n${indent(inScope(`rate(${selector('pathprobe_probes_total', PATH)}[$__rate_interval])`))}\n)`;
}

/** The last probe's duration per phase and path. */
export function phaseSeconds(): string {
  return inScope(`max by (${PATH_KEY}, phase) (${selector('pathprobe_probe_phase_seconds', [...PATH, 'phase!="total"'])})`);
}

/** A quantile of probe duration by check kind, successful probes only. */
export function probeDurationQuantile(q: number): string {
  return `histogram_quantile(${q}, sum by (le, check) (rate(${selector('pathprobe_probe_duration_seconds_bucket', [...CLUSTER, 'result="ok"'])}[$__rate_interval])))`;
}

/** Blocked paths with their last result and catalog labels. */
export function blockedPaths(): string {
  return [
    `max by (${PATH_KEY}, result) (${selector('pathprobe_path_result', PATH)} == 1)`,
    `* on (${PATH_KEY}) group_left (source, from_namespace, to_namespace, target, control, severity)`,
    `  topk by (${PATH_KEY}) (1, ${selector('pathprobe_path_info', [...INFO, 'expect="blocked"'])})`,
  ].join('\n');
}

/** Isolation state of each blocked path: 0 isolated, 1 inconclusive, 2 breach (alert logic). */
export function isolationState(): string {
  return [
    `2 * group by (${PATH_KEY}) (\n${indent(isolationBreach(SCOPE))}\n)`,
    `or`,
    `1 * group by (${PATH_KEY}) (\n${indent(isolationInconclusive(SCOPE))}\n)`,
    `or`,
    `0 * group by (${PATH_KEY}) (${selector('pathprobe_path_info', [...INFO, 'expect="blocked"'])})`,
  ].join('\n');
}

/** 1 when a blocked path's control is up, 0 when failing; absent without a control. */
export function controlState(): string {
  return [
    `max by (${PATH_KEY}) (`,
    `  topk by (${PATH_KEY}) (1, ${selector('pathprobe_path_info', [...INFO, 'expect="blocked"', 'control!=""'])})`,
    `  * on (cluster, control) group_left ()`,
    `  ${controlUp(CLUSTER)}`,
    `)`,
  ].join('\n');
}

/** Agent scrape targets: 1 up, 0 down. */
export const agentUp = (): string => selector('up', [AGENT_JOB_MATCHER, ...CLUSTER]);
/** p95 delay between a probe's planned and actual start, per agent. */
export const schedulerLagP95 = (): string =>
  `histogram_quantile(0.95, sum by (le, instance) (rate(${selector('pathprobe_scheduler_lag_seconds_bucket', CLUSTER)}[$__rate_interval])))`;
/** Probes skipped per second, by reason. */
export const skippedRate = (): string =>
  `sum by (reason) (rate(${selector('pathprobe_probes_skipped_total', CLUSTER)}[$__rate_interval]))`;
/** Probes running now, per agent. */
export const inFlight = (): string => `sum by (instance) (${selector('pathprobe_probes_in_flight', CLUSTER)})`;
/** 1 when the agent's last catalog reload succeeded. */
export const reloadOk = (): string => `min by (instance) (${selector('pathprobe_catalog_last_reload_successful', CLUSTER)})`;
/** Age of the catalog each agent runs. */
export const catalogAge = (): string =>
  `time() - max by (instance) (${selector('pathprobe_catalog_last_reload_success_timestamp_seconds', CLUSTER)})`;
/** Paths in each agent's catalog. */
export const catalogPaths = (): string => `max by (instance) (${selector('pathprobe_catalog_paths', CLUSTER)})`;
/** Agents per version. */
export const versions = (): string => `count by (version) (${selector('pathprobe_build_info', CLUSTER)})`;

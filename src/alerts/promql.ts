// PromQL building blocks shared by the alert rules and the dashboard: the result-class groups,
// the path-info join, the control join and the isolation verdict of blocked paths.
import type { ResultClass } from '../classify/result-class.js';

/** Labels every per-path expression is keyed on. `cluster` is empty on a single Prometheus. */
export const PATH_KEY = 'cluster, path';

/** Catalog labels of pathprobe_path_info copied onto path alerts and tables. */
export const INFO_LABELS = [
  'source', 'from_namespace', 'to_namespace', 'target', 'check', 'expect', 'control', 'severity',
  'owner', 'runbook_url',
] as const;

/** Results of a reachable path that point at a policy drop. */
export const BLOCKED_CLASSES = ['timeout'] as const satisfies readonly ResultClass[];
/** Results of a reachable path that point at the destination's endpoints or port. */
export const REFUSED_CLASSES = ['refused'] as const satisfies readonly ResultClass[];
/** DNS failures. */
export const DNS_CLASSES = ['dns_timeout', 'dns_nxdomain', 'dns_error'] as const satisfies readonly ResultClass[];
/** Every other failure of a reachable path. */
export const UNHEALTHY_CLASSES = [
  'unreachable', 'reset', 'tls_error', 'http_timeout', 'http_status', 'error',
] as const satisfies readonly ResultClass[];
/** Results of a blocked path proving packets reached the destination host (isolation broken). */
export const REACHED_CLASSES = [
  'refused', 'reset', 'tls_error', 'http_timeout', 'http_status',
] as const satisfies readonly ResultClass[];
/** Results of a blocked path that is doing its job (PRODUCT.md: up when timeout or unreachable). */
export const ISOLATED_CLASSES = ['timeout', 'unreachable'] as const satisfies readonly ResultClass[];
/** Results of a blocked path where the probe could not test isolation at all. */
export const UNTESTED_CLASSES = [
  'dns_timeout', 'dns_nxdomain', 'dns_error', 'error',
] as const satisfies readonly ResultClass[];

/** Numeric codes of the explainer's verdicts, carried as the value of timeout/unhealthy alerts. */
export const VERDICT_CODES = { allowed: 1, denied_ingress: 2, denied_egress: 3, unknown: 4 } as const;

/** `metric{m1, m2}` (or the bare name when there are no matchers). */
export function selector(metric: string, matchers: readonly string[] = []): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(', ')}}`;
}

/** A matcher for one or more result classes. */
export function resultMatcher(classes: readonly ResultClass[]): string {
  return classes.length === 1 ? `result="${classes[0]}"` : `result=~"${classes.join('|')}"`;
}

/**
 * The paths whose last result is one of `classes`, one series per (cluster, path, result):
 * agent replicas are aggregated away, any replica seeing the class counts.
 */
export function currentResult(classes: readonly ResultClass[], matchers: readonly string[] = []): string {
  return `max by (${PATH_KEY}, result) (${selector('pathprobe_path_result', [resultMatcher(classes), ...matchers])} == 1)`;
}

/**
 * How far back a connection of a blocked path counts as a breach. Isolation that holds only part
 * of the time (a deny that selects some of the destination's pods, or one agent replica of two)
 * alternates `ok` and `timeout`: no single result lasts an alert's `for`, so the current result
 * alone never paged. A breach is not noise: any connection in the window counts.
 */
export const BREACH_WINDOW = '5m';

/**
 * The paths (cluster, path) that no probe has passed throughout the last `window`: some agent
 * replica reported a failure at every sample in it, and at the one before it. The path alerts
 * hold on this instead of a rule's `for:`. Prometheus keeps a `for:` per alert, and a path
 * alert's labels include its result class: a path whose failure changed class (timeout then
 * refused, http_timeout then http_status) started its `for:` again at each change, and one
 * that changed class more often than its `for:` never paged. The window does not care which
 * failure it was, nor which replica saw it: an agent pod replaced during an outage does not
 * restart it either. Left out: which replica; a path one replica saw fail for the first part of
 * the window and another for the rest counts as failing throughout.
 */
export function failingThroughout(window: string): string {
  const ok = selector('pathprobe_path_result', ['result="ok"']);
  return [
    `min by (${PATH_KEY}) (max_over_time(${ok}[${window}])) == 0`,
    `and on (${PATH_KEY})`,
    `min by (${PATH_KEY}) (${ok} offset ${window}) == 0`,
  ].join('\n');
}

/** The paths whose last result is one of `classes` (currentResult) and that have failed throughout `window`. */
export function failingFor(classes: readonly ResultClass[], window: string): string {
  return `(\n${indent(currentResult(classes))}\n  and on (${PATH_KEY}) (\n${indent(indent(failingThroughout(window)))}\n  )\n)`;
}

/** Like currentResult, for the results of `classes` that any sample within `window` held. */
export function recentResult(classes: readonly ResultClass[], window: string, matchers: readonly string[] = []): string {
  return `max by (${PATH_KEY}, result) (max_over_time(${selector('pathprobe_path_result', [resultMatcher(classes), ...matchers])}[${window}]) == 1)`;
}

/**
 * `expr` (keyed on cluster, path) joined with the path's catalog labels; `infoMatchers` filter
 * the paths (e.g. `expect="reachable"`). topk keeps the join one-to-one while two agent
 * replicas briefly disagree on a path's labels during a catalog reload.
 */
export function withPathInfo(expr: string, infoMatchers: readonly string[] = []): string {
  return [
    expr,
    `* on (${PATH_KEY}) group_left (${INFO_LABELS.join(', ')})`,
    `  topk by (${PATH_KEY}) (1, ${selector('pathprobe_path_info', infoMatchers)})`,
  ].join('\n');
}

/**
 * `expr` (keyed on cluster, path), without the paths whose failure so far is one probe on a path
 * probed so rarely that one result outlasts `forSeconds` (the alert's hold, failingThroughout):
 * there the hold alone let a single lost probe page (a 5m path keeps one timeout as its last
 * result for 5m). Such a path
 * alerts from its second failed probe in a row (last probe ≥ 1.5 intervals after the last success).
 * A result stays visible for up to an interval plus a scrape interval, hence `2 * interval`.
 */
export function unlessSingleFailedProbe(expr: string, forSeconds: number): string {
  return [
    expr,
    `unless on (${PATH_KEY}) (`,
    `  max by (${PATH_KEY}) (pathprobe_path_last_probe_timestamp_seconds)`,
    `  - max by (${PATH_KEY}) (pathprobe_path_last_success_timestamp_seconds)`,
    `  < 1.5 * max by (${PATH_KEY}) (pathprobe_path_interval_seconds)`,
    `  and on (${PATH_KEY}) 2 * max by (${PATH_KEY}) (pathprobe_path_interval_seconds) > ${forSeconds}`,
    `)`,
  ].join('\n');
}

/** Per (cluster, control): 1 when the control path is up on any replica, 0 when it is down. */
export function controlUp(matchers: readonly string[] = []): string {
  return `max by (cluster, control) (label_replace(${selector('pathprobe_path_up', matchers)}, "control", "$1", "path", "(.+)"))`;
}

/**
 * The explainer's verdict for each path as a number (VERDICT_CODES), or 0 when the explainer
 * does not run: the alert still fires, and its value says what the policy explainer thinks.
 */
export function verdictCodeOrZero(matchers: readonly string[] = []): string {
  const codes = Object.entries(VERDICT_CODES)
    .map(([verdict, code]) => `${selector('pathprobe_policy_verdict', [`verdict="${verdict}"`, ...matchers])} * ${code}`)
    .join('\n    or ');
  return [
    `(`,
    `  max by (${PATH_KEY}) (`,
    `    ${codes}`,
    `  )`,
    `  or on (${PATH_KEY}) 0 * max by (${PATH_KEY}) (${selector('pathprobe_path_info', matchers)})`,
    `)`,
  ].join('\n');
}

/** Ready endpoints of each path's destination from the explainer, or -1 when it does not run. */
export function readyEndpointsOrMinusOne(matchers: readonly string[] = []): string {
  return [
    `(`,
    `  max by (${PATH_KEY}) (${selector('pathprobe_path_ready_endpoints', matchers)})`,
    `  or on (${PATH_KEY}) -1 * max by (${PATH_KEY}) (${selector('pathprobe_path_info', matchers)})`,
    `)`,
  ].join('\n');
}

/** `left` with the series value of `right` multiplied in, matched on the path key. */
export function timesOnPath(left: string, right: string): string {
  return `(\n${indent(left)}\n)\n* on (${PATH_KEY}) group_left ()\n${right}`;
}

/**
 * Which series an isolation expression looks at: `path` matchers go on per-path series,
 * `info` matchers on pathprobe_path_info only, `cluster` matchers on the control's series
 * (a control is another path, so path filters must not apply to it).
 */
export interface Scope {
  path: readonly string[];
  info: readonly string[];
  cluster: readonly string[];
}

const EVERYWHERE: Scope = { path: [], info: [], cluster: [] };

/**
 * Blocked paths that broke isolation within BREACH_WINDOW: `ok` always; any other "packets
 * reached the destination" result when the control is up or the path has no control (else it is
 * inconclusive).
 */
export function isolationBreach(scope: Scope = EVERYWHERE): string {
  const blocked = ['expect="blocked"', ...scope.info];
  const reached = withPathInfo(recentResult(REACHED_CLASSES, BREACH_WINDOW, scope.path), blocked);
  return [
    `(`,
    indent(withPathInfo(recentResult(['ok'], BREACH_WINDOW, scope.path), blocked)),
    `)`,
    `or`,
    `(`,
    indent(reached),
    `  and on (cluster, control) (${controlUp(scope.cluster)} == 1)`,
    `)`,
    `or`,
    `(`,
    indent(reached),
    `  unless on (${PATH_KEY}) ${selector('pathprobe_path_info', ['control!=""', ...scope.path])}`,
    `)`,
  ].join('\n');
}

/**
 * Blocked paths whose test proves nothing: the control is failing or has no data (a dead
 * destination also times out), or the probe never got to send a packet (DNS, error).
 */
export function isolationInconclusive(scope: Scope = EVERYWHERE): string {
  const notOk = [...ISOLATED_CLASSES, ...REACHED_CLASSES];
  return [
    `(`,
    indent(withPathInfo(currentResult(notOk, scope.path), ['expect="blocked"', 'control!=""', ...scope.info])),
    `  unless on (cluster, control) (${controlUp(scope.cluster)} == 1)`,
    `)`,
    `or`,
    `(`,
    indent(withPathInfo(currentResult(UNTESTED_CLASSES, scope.path), ['expect="blocked"', ...scope.info])),
    `)`,
  ].join('\n');
}

/** Indents every line of `text` by two spaces. */
export function indent(text: string, by = '  '): string {
  return text.split('\n').map((l) => by + l).join('\n');
}

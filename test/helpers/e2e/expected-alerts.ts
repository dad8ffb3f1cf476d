// What the firing notifications of the end-to-end scenario must carry: one alert per broken
// path (agent replicas aggregated away), the path's catalog labels and severity, and annotations
// fully rendered from the shipped templates.
import type { Test } from 'tap';
import { runbookAnchor } from '../../../src/alerts/links.js';
import type { NotifiedAlert, Notification } from './webhook-receiver.js';

const CATALOG_LABELS = { cluster: 'e2e', source: 'shop', from_namespace: 'e2e-shop', check: 'tcp', expect: 'reachable', owner: 'e2e-team' };

/** The notification's only alert for `path`, with the checks every path alert shares. */
function onlyAlert(t: Test, n: Notification, path: string, target: string): NotifiedAlert | undefined {
  const alerts = n.alerts.filter((a) => a.labels.path === path);
  t.equal(alerts.length, 1, `${path}: one alert for the path, not one per agent replica`);
  const alert = alerts[0];
  t.match(alert?.labels, { ...CATALOG_LABELS, path, target }, `${path}: the path's catalog labels`);
  t.notOk(alert?.labels.instance, `${path}: replicas aggregated away (no instance label)`);
  t.notMatch(JSON.stringify(alert?.annotations), /\{\{|\$labels|<no value>/, `${path}: templates fully rendered`);
  t.match(alert?.annotations.description, `Path ${path} (tcp) from shop (namespace e2e-shop) to ${target} must be reachable`,
    `${path}: the description names the path`);
  return alert;
}

/** PathProbeRefused for a closed port: severity from the catalog (warning), project runbook. */
export function assertRefusedAlert(t: Test, n: Notification, path: string, target: string): void {
  const alert = onlyAlert(t, n, path, target);
  t.match(alert?.labels, { alertname: 'PathProbeRefused', result: 'refused', severity: 'warning' }, `${path}: alertname, result, severity`);
  t.equal(alert?.annotations.summary, `Path ${path} is refused: nothing accepts connections at ${target}`, `${path}: summary`);
  const description = alert?.annotations.description ?? '';
  t.match(description, 'kubectl get endpointslices -n <destination namespace> -l kubernetes.io/service-name=<service>', `${path}: what to check first`);
  t.notMatch(description, /ready endpoint\(s\)/, `${path}: no endpoint count without the explainer (value -1)`);
  t.equal(alert?.annotations.runbook_url, runbookAnchor('PathProbeRefused'), `${path}: runbook_url is the project's section`);
}

/** PathProbeBlocked for dropped SYNs: default severity (critical), the path's own runbook. */
export function assertBlockedAlert(t: Test, n: Notification, path: string, target: string, runbook: string): void {
  const alert = onlyAlert(t, n, path, target);
  t.match(alert?.labels, { alertname: 'PathProbeBlocked', result: 'timeout', severity: 'critical', runbook_url: runbook },
    `${path}: alertname, result, severity`);
  t.equal(alert?.annotations.summary,
    `Path ${path} is blocked: timeout from shop (namespace e2e-shop) to ${target}, likely a NetworkPolicy drop`, `${path}: summary`);
  const description = alert?.annotations.description ?? '';
  t.match(description, 'No policy verdict (the pathprobe explainer is not running).', `${path}: verdict sentence for value 0`);
  t.match(description, 'kubectl get networkpolicy -n <destination namespace>', `${path}: lists the destination's policies`);
  t.match(description, 'kubectl get networkpolicy -n e2e-shop', `${path}: lists the source's policies`);
  t.equal(alert?.annotations.runbook_url, runbook, `${path}: runbook_url is the path's own runbook`);
}

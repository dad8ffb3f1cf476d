// Runs every query of the committed dashboard against a live Prometheus, as Grafana would:
// instant queries for table/stat targets, range queries for the rest. A query that errors fails;
// one that returns no series fails unless it is listed in NO_DATA_EXPECTED with the reason.
import type { Test } from 'tap';
import { committedDashboard, panelQueries, variableQueries, type PanelQuery } from './dashboard-queries.js';
import { promApi, type Series } from './prometheus-stack.js';

/** Queries allowed to be empty in the end-to-end scenario, and why. */
const NO_DATA_EXPECTED: Readonly<Record<string, string>> = {
  'Current failures C': 'the policy verdict comes from the in-cluster explainer (pathprobe explainer), which the test does not run',
};

/** Values for Grafana's variables: every template variable as its "All" value. */
function allValues(rangeSeconds: number): Record<string, string> {
  return {
    datasource: 'prometheus', cluster: '.*', from_namespace: '.*', to_namespace: '.*', path: '.*',
    __rate_interval: '1m', __interval: '1s', __range: `${rangeSeconds}s`,
  };
}

/** One panel query as Grafana runs it: instant at `end`, or a range over `range` at 1s steps. */
function runPanelQuery(promUrl: string, q: PanelQuery, end: number, range: { start: string; end: string }) {
  return q.instant
    ? promApi<{ result: Series[] }>(promUrl, '/api/v1/query', { query: q.expr, time: String(end) })
    : promApi<{ result: Series[] }>(promUrl, '/api/v1/query_range', { query: q.expr, ...range, step: '1' });
}

/** What checkDashboard returns: each query's series, by `<panel title> <refId>`. */
export type DashboardResults = Map<string, Series[]>;

/**
 * Runs the dashboard's variable and panel queries over [startSec, now] and asserts each one.
 * `expectedVariables` are label values each variable must offer (at least these).
 */
export async function checkDashboard(t: Test, root: string, promUrl: string, startSec: number,
  expectedVariables: Record<string, string[]>): Promise<DashboardResults> {
  const end = Date.now() / 1000;
  const values = allValues(Math.max(1, Math.round(end - startSec)));
  const dashboard = committedDashboard(root);
  const range = { start: String(startSec), end: String(end) };

  for (const v of variableQueries(dashboard, values)) {
    const answer = await promApi<string[]>(promUrl, `/api/v1/label/${v.label}/values`, { 'match[]': v.match, ...range });
    if (!answer.ok) {
      t.fail(`variable ${v.name}: ${answer.error}`);
      continue;
    }
    for (const want of expectedVariables[v.name] ?? []) t.ok(answer.data.includes(want), `variable ${v.name} offers ${want} (got ${answer.data.join(', ')})`);
    t.ok(answer.data.length > 0, `variable ${v.name} has values`);
  }

  const results: DashboardResults = new Map();
  const queries = panelQueries(dashboard, values);
  for (const q of queries) {
    const answer = await runPanelQuery(promUrl, q, end, range);
    if (!answer.ok) {
      t.fail(`${q.key}: the query errors: ${answer.error}`, { expr: q.expr });
      continue;
    }
    const series = answer.data.result;
    results.set(q.key, series);
    const reason = NO_DATA_EXPECTED[q.key];
    if (reason) t.comment(`${q.key}: ${series.length} series (may be empty: ${reason})`);
    else t.ok(series.length > 0, `${q.key}: ${series.length} series (${q.instant ? 'instant' : 'range'})`, { expr: q.expr });
  }
  for (const key of Object.keys(NO_DATA_EXPECTED)) t.ok(results.has(key), `exception ${key} names a real query`);
  t.ok(queries.length >= 20, `${queries.length} queries run`);
  return results;
}

/**
 * Runs every panel query with concrete variable values (`values` over allValues) and asserts no
 * query errors and no series of another path than `path` slips through the filters.
 */
export async function checkDashboardFiltered(t: Test, root: string, promUrl: string, startSec: number,
  values: Record<string, string>, path: string): Promise<void> {
  const end = Date.now() / 1000;
  const all = { ...allValues(Math.max(1, Math.round(end - startSec))), ...values, path };
  const range = { start: String(startSec), end: String(end) };
  let withData = 0;
  const queries = panelQueries(committedDashboard(root), all);
  for (const q of queries) {
    const answer = await runPanelQuery(promUrl, q, end, range);
    if (!answer.ok) {
      t.fail(`${q.key}: the query errors: ${answer.error}`, { expr: q.expr });
      continue;
    }
    if (answer.data.result.length > 0) withData++;
    const others = answer.data.result.map((s) => s.metric.path).filter((p) => p !== undefined && p !== path);
    t.same(others, [], `${q.key}: only ${path} (${answer.data.result.length} series)`);
  }
  t.ok(withData > queries.length / 2, `${withData} of ${queries.length} queries have data for ${path}`);
}

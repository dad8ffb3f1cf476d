// The pathprobe Grafana dashboard: status matrix, current failures, result classes over time,
// phase latency, isolation checks with their controls, agent health.
import { RUNBOOK_BASE_URL } from '../alerts/links.js';
import type { Dashboard, FieldConfig, Panel, Variable } from './model.js';
import {
  DATASOURCE, classCodeMapping, classNameMapping, mapped, numberMapping, panel, query, row,
  tableQuery, timeseriesOptions,
} from './panels.js';
import * as q from './queries.js';
import { RESULT_CLASSES } from '../classify/result-class.js';
import { CLASS_COLOURS } from './panels.js';

/** The dashboard's uid (stable links: /d/pathprobe). */
export const DASHBOARD_UID = 'pathprobe';

function queryVariable(name: string, label: string, definition: string): Variable {
  return {
    name, label, type: 'query', query: definition, definition, datasource: DATASOURCE,
    refresh: 2, includeAll: true, multi: true, allValue: '.*', current: {}, sort: 1, hide: 0,
  };
}

/** Template variables: datasource, cluster, source namespace, destination namespace, path. */
export function variables(): Variable[] {
  const info = (m: string[]): string => `pathprobe_path_info{${m.join(', ')}}`;
  return [
    { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0 },
    queryVariable('cluster', 'Cluster', 'label_values(pathprobe_build_info, cluster)'),
    queryVariable('from_namespace', 'Source namespace', `label_values(${info(q.CLUSTER)}, from_namespace)`),
    queryVariable('to_namespace', 'Destination namespace',
      `label_values(${info([...q.CLUSTER, 'from_namespace=~"$from_namespace"'])}, to_namespace)`),
    queryVariable('path', 'Path',
      `label_values(${info([...q.CLUSTER, 'from_namespace=~"$from_namespace"', 'to_namespace=~"$to_namespace"'])}, path)`),
  ];
}

const hide = (...names: string[]): Record<string, boolean> => Object.fromEntries(names.map((n) => [n, true]));

function withOverrides(fc: FieldConfig, overrides: FieldConfig['overrides']): FieldConfig {
  return { ...fc, overrides: [...fc.overrides, ...overrides] };
}

const colourCells = { id: 'custom.cellOptions', value: { type: 'color-background' } };

function pathPanels(): Panel[] {
  const matrix = panel('table', 'Required paths: source × destination namespace',
    'Worst last result class of the required (expect: reachable) paths between two namespaces. ' +
    'Green is ok; red timeout is the NetworkPolicy-drop signature; purple is DNS.',
    { x: 0, y: 0, w: 12, h: 9 }, [tableQuery('A', q.statusMatrix())], {
      transformations: [{
        id: 'groupingToMatrix',
        options: { columnField: 'to_namespace', rowField: 'from_namespace', valueField: 'Value', emptyValue: 'empty' },
      }],
      fieldConfig: mapped([classCodeMapping()], { custom: { cellOptions: { type: 'color-background' }, align: 'center' } }),
      options: { showHeader: true, cellHeight: 'sm' },
    });

  const failures = panel('table', 'Current failures',
    'Paths not behaving as declared, with their result class, how long since they last did, the ' +
    'policy explainer\'s verdict and a runbook link (the path\'s own runbook when the catalog names one).',
    { x: 12, y: 0, w: 12, h: 9 },
    [tableQuery('A', q.currentFailures()), tableQuery('B', q.sinceLastSuccess()), tableQuery('C', q.policyVerdict())], {
      transformations: [
        { id: 'merge', options: {} },
        { id: 'filterByValue', options: { filters: [{ fieldName: 'Value #A', config: { id: 'isNull' } }], type: 'exclude', match: 'any' } },
        {
          id: 'organize',
          options: {
            excludeByName: hide('Time', 'cluster', 'Value #A', 'Value #C', 'runbook_url', 'control', 'check'),
            renameByName: { 'Value #B': 'last ok (ago)', from_namespace: 'from ns', to_namespace: 'to ns' },
            indexByName: { path: 0, result: 1, source: 2, from_namespace: 3, to_namespace: 4, target: 5, expect: 6, severity: 7, owner: 8, 'Value #B': 9, verdict: 10, runbook: 11 },
          },
        },
      ],
      fieldConfig: withOverrides({ defaults: {}, overrides: [] }, [
        { matcher: { id: 'byName', options: 'result' }, properties: [{ id: 'mappings', value: [classNameMapping()] }, colourCells] },
        { matcher: { id: 'byName', options: 'last ok (ago)' }, properties: [{ id: 'unit', value: 's' }] },
        { matcher: { id: 'byName', options: 'runbook' }, properties: [{ id: 'links', value: [{ title: 'Open the runbook', url: '${__value.raw}', targetBlank: true }] }] },
        { matcher: { id: 'byName', options: 'path' }, properties: [{ id: 'links', value: [{ title: 'Show only this path', url: `/d/${DASHBOARD_UID}/pathprobe?var-path=\${__value.raw}&\${datasource:queryparam}&\${cluster:queryparam}` }] }] },
      ]),
      options: { showHeader: true, cellHeight: 'sm', sortBy: [{ displayName: 'result', desc: false }] },
    });

  const timeline = panel('state-timeline', 'Result class per path',
    'The last result class of every selected path over time.',
    { x: 0, y: 9, w: 24, h: 9 }, [query('A', q.resultCodePerPath(), { legendFormat: '{{path}}' })], {
      fieldConfig: mapped([classCodeMapping()], { custom: { fillOpacity: 80, lineWidth: 0 } }),
      options: { showValue: 'never', mergeValues: true, alignValue: 'left', rowHeight: 0.9, legend: { showLegend: false } },
    });

  const classColours = RESULT_CLASSES.map((c) => ({
    matcher: { id: 'byName' as const, options: c },
    properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: CLASS_COLOURS[c] } }],
  }));
  const perClass = panel('timeseries', 'Paths per result class',
    'How many selected paths ended their last probe in each class.',
    { x: 0, y: 18, w: 12, h: 8 }, [query('A', q.pathsPerClass(), { legendFormat: '{{result}}' })], {
      fieldConfig: { defaults: { min: 0, decimals: 0, custom: { stacking: { mode: 'normal' }, fillOpacity: 60, drawStyle: 'bars' } }, overrides: classColours },
      options: timeseriesOptions(),
    });
  const rate = panel('timeseries', 'Probes per second by result',
    'Probe throughput of the selected paths, by result class (pathprobe_probes_total).',
    { x: 12, y: 18, w: 12, h: 8 }, [query('A', q.probeRate(), { legendFormat: '{{result}}' })], {
      fieldConfig: { defaults: { unit: 'ops', min: 0, custom: { stacking: { mode: 'normal' }, fillOpacity: 30 } }, overrides: classColours },
      options: timeseriesOptions(),
    });

  const phases = panel('timeseries', 'Latency per phase (last probe)',
    'resolve, connect, tls, processing, transfer of the last probe of each path. A connect that ' +
    'reaches the timeout is a drop; a slow resolve is DNS.',
    { x: 0, y: 26, w: 12, h: 8 }, [query('A', q.phaseSeconds(), { legendFormat: '{{path}} {{phase}}' })], {
      fieldConfig: { defaults: { unit: 's', min: 0 }, overrides: [] },
      options: timeseriesOptions(),
    });
  const duration = panel('timeseries', 'Probe duration by check (successful probes)',
    'p50 and p95 of pathprobe_probe_duration_seconds over all paths, by check kind.',
    { x: 12, y: 26, w: 12, h: 8 }, [
      query('A', q.probeDurationQuantile(0.5), { legendFormat: 'p50 {{check}}' }),
      query('B', q.probeDurationQuantile(0.95), { legendFormat: 'p95 {{check}}' }),
    ], { fieldConfig: { defaults: { unit: 's', min: 0 }, overrides: [] }, options: timeseriesOptions() });

  const isolation = panel('table', 'Isolation checks (expect: blocked) and their controls',
    'A blocked path is isolated when it times out (or is unreachable) while its control, a reachable ' +
    'path to the same destination, is up. A failing control makes the check inconclusive, never green.',
    { x: 0, y: 34, w: 24, h: 8 },
    [tableQuery('A', q.blockedPaths()), tableQuery('B', q.isolationState()), tableQuery('C', q.controlState())], {
      transformations: [
        { id: 'merge', options: {} },
        { id: 'filterByValue', options: { filters: [{ fieldName: 'Value #A', config: { id: 'isNull' } }], type: 'exclude', match: 'any' } },
        {
          id: 'organize',
          options: {
            excludeByName: hide('Time', 'cluster', 'Value #A'),
            renameByName: { 'Value #B': 'isolation', 'Value #C': 'control', control: 'control path', from_namespace: 'from ns', to_namespace: 'to ns' },
            indexByName: { path: 0, 'Value #B': 1, result: 2, control: 3, 'Value #C': 4, source: 5, from_namespace: 6, to_namespace: 7, target: 8, severity: 9 },
          },
        },
      ],
      fieldConfig: withOverrides({ defaults: {}, overrides: [] }, [
        { matcher: { id: 'byName', options: 'isolation' }, properties: [{ id: 'mappings', value: [numberMapping([[0, 'isolated', 'green'], [1, 'inconclusive', 'yellow'], [2, 'BREACH', 'red']])] }, colourCells] },
        { matcher: { id: 'byName', options: 'control' }, properties: [{ id: 'mappings', value: [numberMapping([[1, 'up', 'green'], [0, 'failing', 'red']])] }, colourCells] },
        { matcher: { id: 'byName', options: 'result' }, properties: [{ id: 'mappings', value: [classNameMapping()] }] },
      ]),
      options: { showHeader: true, cellHeight: 'sm', sortBy: [{ displayName: 'isolation', desc: true }] },
    });

  return [matrix, failures, timeline, perClass, rate, phases, duration, isolation];
}

function agentPanels(y: number): Panel[] {
  const stat = (title: string, description: string, x: number, yy: number, expr: string, legend: string, fc: FieldConfig) =>
    panel('stat', title, description, { x, y: yy, w: 6, h: 5 }, [query('A', expr, { legendFormat: legend, instant: true })], {
      fieldConfig: fc,
      options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', textMode: 'value_and_name', graphMode: 'none' },
    });
  const upDown = mapped([numberMapping([[1, 'up', 'green'], [0, 'down', 'red']])]);
  return [
    row('Agent health', y),
    stat('Agents', 'Scrape status of every agent target (up).', 0, y + 1, q.agentUp(), '{{instance}}', upDown),
    panel('timeseries', 'Scheduler lag p95', 'How late probes start against their plan; growing lag means an overloaded agent.',
      { x: 6, y: y + 1, w: 6, h: 5 }, [query('A', q.schedulerLagP95(), { legendFormat: '{{instance}}' })],
      { fieldConfig: { defaults: { unit: 's', min: 0 }, overrides: [] }, options: timeseriesOptions() }),
    panel('timeseries', 'Skipped probes', 'Probes not run, by reason (e.g. the previous one still running).',
      { x: 12, y: y + 1, w: 6, h: 5 }, [query('A', q.skippedRate(), { legendFormat: '{{reason}}' })],
      { fieldConfig: { defaults: { unit: 'ops', min: 0 }, overrides: [] }, options: timeseriesOptions() }),
    panel('timeseries', 'Probes in flight', 'Probes running at once, per agent.',
      { x: 18, y: y + 1, w: 6, h: 5 }, [query('A', q.inFlight(), { legendFormat: '{{instance}}' })],
      { fieldConfig: { defaults: { min: 0, decimals: 0 }, overrides: [] }, options: timeseriesOptions() }),
    stat('Catalog reload', 'Whether the last catalog reload succeeded; a failed reload keeps the last good catalog.',
      0, y + 6, q.reloadOk(), '{{instance}}', mapped([numberMapping([[1, 'ok', 'green'], [0, 'failed', 'red']])])),
    stat('Catalog age', 'Time since each agent last loaded a good catalog.', 6, y + 6, q.catalogAge(), '{{instance}}',
      { defaults: { unit: 's', color: { mode: 'fixed' } }, overrides: [] }),
    stat('Paths in catalog', 'Paths each agent schedules.', 12, y + 6, q.catalogPaths(), '{{instance}}',
      { defaults: { decimals: 0, color: { mode: 'fixed' } }, overrides: [] }),
    stat('Versions', 'Agents per pathprobe version.', 18, y + 6, q.versions(), '{{version}}',
      { defaults: { decimals: 0, color: { mode: 'fixed' } }, overrides: [] }),
  ];
}

/** The whole dashboard, panels numbered in order. */
export function buildDashboard(): Dashboard {
  const panels = [...pathPanels(), ...agentPanels(42)].map((p, i) => ({ ...p, id: i + 1 }));
  return {
    uid: DASHBOARD_UID,
    title: 'pathprobe: network paths',
    description: 'Required and forbidden network paths probed by pathprobe, classified by result.',
    tags: ['pathprobe', 'networkpolicy'],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    timezone: 'browser',
    links: [{ title: 'Runbook', type: 'link', url: RUNBOOK_BASE_URL, targetBlank: true, icon: 'doc' }],
    annotations: { list: [] },
    templating: { list: variables() },
    panels,
  };
}

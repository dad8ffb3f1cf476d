// Panel builders: the shapes (table, time series, state timeline, stat) with the datasource
// variable, and the result-class colours every panel shares.
import { RESULT_CLASSES, type ResultClass } from '../classify/result-class.js';
import type { DataSourceRef, FieldConfig, Panel, Target, ValueMapping } from './model.js';

/** Every panel and query uses the dashboard's datasource variable. */
export const DATASOURCE: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** One colour per result class: green for ok, reds for policy-like drops, purples for DNS. */
export const CLASS_COLOURS: Record<ResultClass, string> = {
  ok: 'green',
  timeout: 'red',
  refused: 'orange',
  unreachable: 'dark-red',
  reset: 'semi-dark-orange',
  dns_timeout: 'purple',
  dns_nxdomain: 'light-purple',
  dns_error: 'dark-purple',
  tls_error: 'yellow',
  http_timeout: 'dark-yellow',
  http_status: 'light-orange',
  error: 'text',
};

/** Result codes (index in RESULT_CLASSES) shown as the class name in its colour. */
export function classCodeMapping(): ValueMapping {
  const options: ValueMapping['options'] = {};
  RESULT_CLASSES.forEach((c, i) => { options[String(i)] = { text: c, color: CLASS_COLOURS[c], index: i }; });
  return { type: 'value', options };
}

/** Result class names shown in their colour. */
export function classNameMapping(): ValueMapping {
  const options: ValueMapping['options'] = {};
  RESULT_CLASSES.forEach((c, i) => { options[c] = { text: c, color: CLASS_COLOURS[c], index: i }; });
  return { type: 'value', options };
}

/** A mapping from numbers to named colours. */
export function numberMapping(entries: ReadonlyArray<readonly [number, string, string]>): ValueMapping {
  const options: ValueMapping['options'] = {};
  entries.forEach(([value, text, color], index) => { options[String(value)] = { text, color, index }; });
  return { type: 'value', options };
}

/** A query of the dashboard's datasource. */
export function query(refId: string, expr: string, opts: Partial<Target> = {}): Target {
  return { refId, datasource: DATASOURCE, expr, ...opts };
}

/** An instant query returning a table. */
export function tableQuery(refId: string, expr: string): Target {
  return query(refId, expr, { instant: true, range: false, format: 'table' });
}

type Grid = Panel['gridPos'];

const emptyFields = (): FieldConfig => ({ defaults: {}, overrides: [] });

/** A panel with the common fields filled in. */
export function panel(
  type: Panel['type'], title: string, description: string, gridPos: Grid, targets: Target[],
  extra: Partial<Panel> = {},
): Panel {
  return {
    id: 0, // numbered by the dashboard
    type, title, description, gridPos, datasource: DATASOURCE, targets,
    fieldConfig: emptyFields(),
    options: {},
    ...extra,
  };
}

/** A row header. */
export function row(title: string, y: number): Panel {
  return { id: 0, type: 'row', title, gridPos: { x: 0, y, w: 24, h: 1 }, collapsed: false, panels: [] };
}

/** Field config colouring values by mappings (cell background in tables). */
export function mapped(mappings: ValueMapping[], extra: Partial<FieldConfig['defaults']> = {}): FieldConfig {
  return {
    defaults: {
      mappings,
      color: { mode: 'thresholds' },
      thresholds: { mode: 'absolute', steps: [{ color: 'text', value: null }] },
      ...extra,
    },
    overrides: [],
  };
}

/** A time series panel's options: legend as a table with last/max values. */
export function timeseriesOptions(): Record<string, unknown> {
  return {
    legend: { displayMode: 'table', placement: 'right', calcs: ['lastNotNull', 'max'] },
    tooltip: { mode: 'multi', sort: 'desc' },
  };
}

// The slice of Grafana's dashboard JSON model this project writes (schemaVersion 39): plain
// typed objects, so the generator needs no SDK and every field it sets is visible here.

/** A datasource reference; always the `datasource` template variable. */
export interface DataSourceRef {
  type: 'prometheus';
  uid: string;
}

/** One PromQL query of a panel. */
export interface Target {
  refId: string;
  datasource: DataSourceRef;
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
  format?: 'time_series' | 'table';
}

/** A value mapping: a number or text shown as a name in a colour. */
export interface ValueMapping {
  type: 'value';
  options: Record<string, { text: string; color: string; index: number }>;
}

/** A data link on a field. */
export interface DataLink {
  title: string;
  url: string;
  targetBlank?: boolean;
}

/** Field defaults and per-field overrides. */
export interface FieldConfig {
  defaults: {
    unit?: string;
    min?: number;
    decimals?: number;
    mappings?: ValueMapping[];
    links?: DataLink[];
    color?: { mode: string };
    thresholds?: { mode: 'absolute'; steps: { color: string; value: number | null }[] };
    custom?: Record<string, unknown>;
  };
  overrides: {
    matcher: { id: 'byName' | 'byRegexp'; options: string };
    properties: { id: string; value: unknown }[];
  }[];
}

/** A transformation step applied to a panel's frames. */
export interface Transformation {
  id: string;
  options: Record<string, unknown>;
}

/** One panel (a row is a panel of type `row`). */
export interface Panel {
  id: number;
  type: 'table' | 'timeseries' | 'state-timeline' | 'stat' | 'row' | 'text';
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: DataSourceRef;
  targets?: Target[];
  fieldConfig?: FieldConfig;
  options?: Record<string, unknown>;
  transformations?: Transformation[];
  collapsed?: boolean;
  panels?: Panel[];
}

/** A template variable. */
export interface Variable {
  name: string;
  label: string;
  type: 'datasource' | 'query';
  query: string;
  definition?: string;
  datasource?: DataSourceRef;
  refresh?: 1 | 2;
  includeAll?: boolean;
  multi?: boolean;
  allValue?: string;
  current?: Record<string, unknown>;
  sort?: number;
  hide?: 0 | 1 | 2;
}

/** The whole dashboard. */
export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  editable: boolean;
  graphTooltip: number;
  schemaVersion: number;
  version: number;
  refresh: string;
  time: { from: string; to: string };
  timezone: string;
  links: { title: string; type: 'link'; url: string; targetBlank: boolean; icon: string }[];
  annotations: { list: unknown[] };
  templating: { list: Variable[] };
  panels: Panel[];
}

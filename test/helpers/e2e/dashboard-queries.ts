// The committed dashboard's queries as Grafana would send them: every panel's targets (rows
// flattened) with template variables and Grafana's interval variables replaced by fixed values.
import { readFileSync } from 'node:fs';
import { DASHBOARD_FILE } from '../../../src/dashboard/render.js';
import type { Dashboard, Panel, Target, Variable } from '../../../src/dashboard/model.js';

/** One query of one panel. */
export interface PanelQuery {
  panel: string;
  refId: string;
  /** `<panel title> <refId>`, the key of expectations. */
  key: string;
  expr: string;
  instant: boolean;
}

/** The committed dashboard JSON (what users import), not the generator's object. */
export function committedDashboard(root: string): Dashboard {
  return JSON.parse(readFileSync(`${root}/${DASHBOARD_FILE}`, 'utf8')) as Dashboard;
}

/** Replaces `$name`, `${name}` and `${name:format}` by `values[name]`; unknown names throw. */
export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{?([A-Za-z_]\w*)(?::\w+)?\}?/g, (_m, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for $${name} in ${text.slice(0, 80)}`);
    return value;
  });
}

/** Every target of every panel, variables substituted. */
export function panelQueries(d: Dashboard, values: Readonly<Record<string, string>>): PanelQuery[] {
  const panels: Panel[] = d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  return panels.flatMap((p) => (p.targets ?? []).map((t: Target) => ({
    panel: p.title,
    refId: t.refId,
    key: `${p.title} ${t.refId}`,
    expr: substitute(t.expr, values),
    instant: t.instant === true,
  })));
}

/** The query variables with their label_values(selector, label) split out, substituted. */
export function variableQueries(d: Dashboard, values: Readonly<Record<string, string>>): { name: string; match: string; label: string }[] {
  return d.templating.list.filter((v: Variable) => v.type === 'query').map((v) => {
    const m = /^label_values\((.*),\s*(\w+)\)$/s.exec(v.query);
    if (!m?.[1] || !m[2]) throw new Error(`variable ${v.name}: not label_values(selector, label): ${v.query}`);
    return { name: v.name, match: substitute(m[1], values), label: m[2] };
  });
}

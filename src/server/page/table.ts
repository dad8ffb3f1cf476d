// The table of paths, failing first: what happened, what was declared, how long it took, since
// when, the probe's own words, and where to go next (runbook, owner, policy verdict).
import type { PathView } from '../api-schema.js';
import { html, httpUrlOrUndefined, type SafeHtml } from './escape.js';
import { formatDuration, formatRelative, formatUtc, STATE_LABEL, STATE_MARK, STATE_ORDER } from './format.js';
import { rowId, type HtmlParts } from './matrix.js';
import { resultClasses } from './result-style.js';

/** Paths with their catalog index, failing first, then catalog order. */
export function sortForTable(paths: PathView[]): { path: PathView; index: number }[] {
  return paths
    .map((path, index) => ({ path, index }))
    .sort((a, b) => STATE_ORDER[a.path.state] - STATE_ORDER[b.path.state] || a.index - b.index);
}

function runbookCell(path: PathView): SafeHtml {
  const href = path.runbook === null ? undefined : httpUrlOrUndefined(path.runbook);
  if (href !== undefined) return html`<a href="${href}" rel="noopener noreferrer">runbook</a>`;
  // Not an http(s) URL: shown as text, never as a link (javascript: and friends stay inert).
  return path.runbook === null ? html`<span class="sub">—</span>` : html`<span class="sub">${path.runbook}</span>`;
}

function resultCell(path: PathView): SafeHtml {
  if (path.result === null) return html`<span class="badge fam-pending">pending</span>`;
  return html`<span class="badge ${resultClasses(path.result)}">${path.result}</span>${path.status !== null && html`<span class="sub">HTTP ${path.status}</span>`}`;
}

function lastChangeCell(path: PathView, now: number): SafeHtml {
  if (path.lastChangeAt === null) return html`—`;
  return html`<time datetime="${path.lastChangeAt}" title="${formatUtc(Date.parse(path.lastChangeAt))}">${formatRelative(path.lastChangeAt, now)}</time>`;
}

function policyCell(path: PathView): SafeHtml {
  if (path.policy === null) return html`<span class="sub">—</span>`;
  return html`<span class="mono">${path.policy.verdict}</span><span class="sub">${path.policy.summary}</span>`;
}

/** One path's table row (`index`: its position in catalog order). */
export function row(path: PathView, index: number, now: number, showPolicy: boolean): SafeHtml {
  const where = `${path.fromNamespace} → ${path.target}`;
  return html`
<tr id="${rowId(index)}" class="row-${path.state}" data-path="${path.name}">
<td><span class="state ${path.state}">${STATE_MARK[path.state]} ${STATE_LABEL[path.state]}</span></td>
<td class="pathcell"><span class="mono"><b>${path.name}</b></span><span class="sub">${where}</span><span class="sub">${path.check} · ${path.severity}${path.control !== null && ` · control ${path.control}`}${path.owner !== null && ` · owner ${path.owner}`}</span></td>
<td>${resultCell(path)}</td>
<td>${path.expect}</td>
<td class="num">${formatDuration(path.durationSeconds)}</td>
<td>${lastChangeCell(path, now)}</td>
${showPolicy && html`<td class="policy">${policyCell(path)}</td>`}
<td class="detail">${path.detail === null || path.detail === '' ? '—' : html`<span class="mono">${path.detail}</span>`}</td>
<td class="runbook">${runbookCell(path)}</td>
</tr>`;
}

/** The paths table as parts, one row per path, failing first; `rows[i]`, when given, is path i's row already rendered (see page/sliced.ts). */
export function tableParts(paths: PathView[], now: number, showPolicy: boolean, rows?: readonly SafeHtml[]): HtmlParts | SafeHtml {
  if (paths.length === 0) return html`<div class="empty">No paths scheduled yet.</div>`;
  return {
    open: html`<table class="paths" id="paths">
<thead><tr><th scope="col">state</th><th scope="col">path</th><th scope="col">result</th><th scope="col">expect</th><th scope="col" class="num">latency</th><th scope="col">last change</th>${showPolicy && html`<th scope="col">policy</th>`}<th scope="col">detail</th><th scope="col">runbook</th></tr></thead>
<tbody>`,
    rows: sortForTable(paths).map(({ path, index }) => () => rows?.[index] ?? row(path, index, now, showPolicy)),
    close: html`
</tbody></table>`,
  };
}

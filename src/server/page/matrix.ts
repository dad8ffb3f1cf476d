// The source × destination matrix: one row per source, one column per destination namespace
// (or target host outside the cluster), one chip per path coloured by its result class.
import type { PathView } from '../api-schema.js';
import { html, SafeHtml } from './escape.js';
import { STATE_MARK } from './format.js';
import { resultClasses } from './result-style.js';

/** The column a path falls in: its destination namespace, else the host of its target. */
export function destinationOf(path: PathView): string {
  if (path.toNamespace !== '') return path.toNamespace;
  const target = path.target;
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return new URL(target).hostname;
  } catch {
    // not a URL after all: fall through to host[:port]
  }
  return target.replace(/:\d+$/, '');
}

/** Stable element id of a path's table row (names may hold any character; ids should not). */
export function rowId(index: number): string {
  return `path-${index}`;
}

/** Distinct values in first-seen order. */
function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

/** One path's chip in the matrix (`index`: its position in catalog order). */
export function chip(path: PathView, index: number): SafeHtml {
  const result = path.result ?? 'pending';
  const title = `${path.name}: ${result}, expect ${path.expect}, ${path.state}`;
  return html`<a class="chip ${resultClasses(path.result)} is-${path.state}" href="#${rowId(index)}" title="${title}" data-path="${path.name}"><span class="mark" aria-hidden="true">${STATE_MARK[path.state]}</span> <span class="res">${result}</span> <span class="sub">${path.check} · ${path.name}${path.expect === 'blocked' ? ' (must stay blocked)' : ''}</span></a>`;
}

/** A large HTML element as its opening, its rows (rendered on demand, in order) and its closing. */
export interface HtmlParts {
  open: SafeHtml;
  rows: readonly (() => SafeHtml)[];
  close: SafeHtml;
}

/** The parts joined: the element's full HTML. */
export function joinParts(parts: HtmlParts | SafeHtml): SafeHtml {
  if (parts instanceof SafeHtml) return parts;
  return html`${parts.open}${parts.rows.map((r) => r())}${parts.close}`;
}

/**
 * The matrix table as parts, one row per source; `paths` in catalog order (their index is their
 * row id); `chips[i]`, when given, is path i's chip already rendered.
 */
export function matrixParts(paths: PathView[], chips?: readonly SafeHtml[]): HtmlParts | SafeHtml {
  if (paths.length === 0) return html`<div class="empty">No paths scheduled yet.</div>`;
  // Grouped in one pass (not a filter per cell: sources × destinations × paths is quadratic
  // and takes seconds for a catalog of 10,000 paths over a few hundred namespaces).
  const destinationOfIndex = paths.map(destinationOf);
  const sources = distinct(paths.map((p) => p.source));
  const destinations = distinct(destinationOfIndex);
  const namespaceOf = new Map(paths.map((p) => [p.source, p.fromNamespace]));
  const cells = new Map<string, { path: PathView; index: number }[]>();
  for (const [index, path] of paths.entries()) {
    const key = `${path.source}\u0000${destinationOfIndex[index]}`;
    const cell = cells.get(key);
    if (cell) cell.push({ path, index });
    else cells.set(key, [{ path, index }]);
  }
  return {
    open: html`<table class="matrix" id="matrix">
<thead><tr><th scope="col">source ↓ · destination →</th>${destinations.map((d) => html`<th scope="col">${d}</th>`)}</tr></thead>
<tbody>`,
    rows: sources.map((source) => () => html`
<tr><th scope="row" class="row">${source}<span class="sub">ns ${namespaceOf.get(source) ?? ''}</span></th>${destinations.map((dest) => {
      const cell = cells.get(`${source}\u0000${dest}`) ?? [];
      return html`<td>${cell.length > 0 && html`<div class="chips">${cell.map(({ path, index }) => chips?.[index] ?? chip(path, index))}</div>`}</td>`;
    })}</tr>`),
    close: html`
</tbody></table>`,
  };
}

// Composes the status page from its sections. Pure: same model, same HTML.
import { html, trustedHtml, type SafeHtml } from './escape.js';
import { countByState, overallOf, renderSummary, renderTopbar, verdictSentence } from './header.js';
import { layout } from './layout.js';
import { renderLegend } from './legend.js';
import { joinParts, matrixParts, type HtmlParts } from './matrix.js';
import type { StatusPageModel } from './model.js';
import { renderResultGuide } from './result-guide.js';
import { tableParts } from './table.js';

/** Per-path fragments rendered ahead (page/sliced.ts), by the path's index in `model.paths`. */
export interface PageFragments {
  chips: readonly SafeHtml[];
  rows: readonly SafeHtml[];
}

/** Where the two large elements go in the page skeleton (escaped text can never contain `<!--`). */
const MATRIX_MARK = '<!--pathprobe:matrix-->';
const TABLE_MARK = '<!--pathprobe:table-->';

/** The page as text around its two large elements, the matrix and the table, in that order. */
export interface PageSegments {
  /** Before the matrix, between the matrix and the table, after the table. */
  text: [string, string, string];
  matrix: HtmlParts | SafeHtml;
  table: HtmlParts | SafeHtml;
}

/** The page in segments (page/sliced.ts renders the large elements' rows a slice at a time). */
export function statusPageSegments(model: StatusPageModel, fragments?: PageFragments): PageSegments {
  const counts = countByState(model);
  const overall = overallOf(counts);
  const failing = counts.down + counts.inconclusive;
  const title = `${failing > 0 ? `✗ ${failing} failing` : verdictSentence(counts)} · pathprobe ${model.source ?? ''}`.trim();
  const body = html`${renderTopbar(model)}
<main>
${renderSummary(model)}
<h2 id="matrix-title">Paths by source and destination</h2>
<p class="lead">Each chip is one path; click it for the details below.</p>
<div class="panel">${trustedHtml(MATRIX_MARK)}${model.paths.length > 0 && renderLegend()}</div>
<h2 id="table-title">All paths, failing first</h2>
<div class="panel">${trustedHtml(TABLE_MARK)}</div>
${renderResultGuide()}
<footer>Served read-only by the pathprobe agent. Machine-readable: <a href="/api/v1/paths">/api/v1/paths</a> · <a href="/metrics">/metrics</a></footer>
</main>`;
  const page = layout({ title, overall, refreshSeconds: model.refreshSeconds, body });
  const [before, rest] = splitOnce(page, MATRIX_MARK);
  const [between, after] = splitOnce(rest, TABLE_MARK);
  return {
    text: [before, between, after],
    matrix: matrixParts(model.paths, fragments?.chips),
    table: tableParts(model.paths, model.now, model.showPolicy, fragments?.rows),
  };
}

function splitOnce(text: string, mark: string): [string, string] {
  const at = text.indexOf(mark);
  if (at < 0 || text.indexOf(mark, at + 1) >= 0) throw new Error(`page skeleton: expected one ${mark}`);
  return [text.slice(0, at), text.slice(at + mark.length)];
}

/** The full HTML document of the status page. */
export function renderStatusPage(model: StatusPageModel, fragments?: PageFragments): string {
  const { text, matrix, table } = statusPageSegments(model, fragments);
  return text[0] + joinParts(matrix).value + text[1] + joinParts(table).value + text[2];
}

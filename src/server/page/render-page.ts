// Composes the status page from its sections. Pure: same model, same HTML.
import { html, type SafeHtml } from './escape.js';
import { countByState, overallOf, renderSummary, renderTopbar, verdictSentence } from './header.js';
import { layout } from './layout.js';
import { renderLegend } from './legend.js';
import { renderMatrix } from './matrix.js';
import type { StatusPageModel } from './model.js';
import { renderResultGuide } from './result-guide.js';
import { renderTable } from './table.js';

/** Per-path fragments rendered ahead (page/sliced.ts), by the path's index in `model.paths`. */
export interface PageFragments {
  chips: readonly SafeHtml[];
  rows: readonly SafeHtml[];
}

/** The full HTML document of the status page. */
export function renderStatusPage(model: StatusPageModel, fragments?: PageFragments): string {
  const counts = countByState(model);
  const overall = overallOf(counts);
  const failing = counts.down + counts.inconclusive;
  const title = `${failing > 0 ? `✗ ${failing} failing` : verdictSentence(counts)} · pathprobe ${model.source ?? ''}`.trim();
  const body = html`${renderTopbar(model)}
<main>
${renderSummary(model)}
<h2 id="matrix-title">Paths by source and destination</h2>
<p class="lead">Each chip is one path; click it for the details below.</p>
<div class="panel">${renderMatrix(model.paths, fragments?.chips)}${model.paths.length > 0 && renderLegend()}</div>
<h2 id="table-title">All paths, failing first</h2>
<div class="panel">${renderTable(model.paths, model.now, model.showPolicy, fragments?.rows)}</div>
${renderResultGuide()}
<footer>Served read-only by the pathprobe agent. Machine-readable: <a href="/api/v1/paths">/api/v1/paths</a> · <a href="/metrics">/metrics</a></footer>
</main>`;
  return layout({ title, overall, refreshSeconds: model.refreshSeconds, body });
}

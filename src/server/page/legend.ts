// The legend under the matrix: what each colour family and each mark means.
import { html, type SafeHtml } from './escape.js';
import { RESULT_FAMILIES } from './result-style.js';

/** Colour swatches with their result classes, then the state marks. */
export function renderLegend(): SafeHtml {
  return html`<div class="legend" id="legend" aria-label="legend">
${RESULT_FAMILIES.map(
  (f) => html`<span class="item" data-family="${f.id}"><span class="sw fam-${f.id}" aria-hidden="true"></span><span><b>${f.classes.join(', ')}</b> — ${f.label}</span></span>`,
)}
<span class="item"><span class="sw fam-pending" aria-hidden="true"></span><span><b>pending</b> — no result yet</span></span>
<span class="item marks">Colour says what happened on the wire; the mark says whether that is what the catalog declared: <b>✓</b> as declared · <b>✗</b> failing · <b>?</b> inconclusive (its control path is not up) · <b>…</b> pending. A path that must stay blocked is ✓ when it times out or is unreachable.</span>
</div>`;
}

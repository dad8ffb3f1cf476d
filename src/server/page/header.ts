// The top of the status page: who this agent is, whether it is ready, and the counts by state.
import { PATH_STATES, type PathStateName } from '../api-schema.js';
import { html, type SafeHtml } from './escape.js';
import { formatUtc, STATE_MARK } from './format.js';
import type { Overall } from './layout.js';
import type { StatusPageModel } from './model.js';

/** Paths per state. */
export function countByState(model: StatusPageModel): Record<PathStateName, number> {
  const counts: Record<PathStateName, number> = { up: 0, down: 0, inconclusive: 0, pending: 0 };
  for (const p of model.paths) counts[p.state]++;
  return counts;
}

/** good when every path is up, bad when any is down or inconclusive, wait otherwise. */
export function overallOf(counts: Record<PathStateName, number>): Overall {
  if (counts.down > 0 || counts.inconclusive > 0) return 'bad';
  return counts.pending > 0 || counts.up === 0 ? 'wait' : 'good';
}

/** One sentence a person reads first. */
export function verdictSentence(counts: Record<PathStateName, number>): string {
  const total = counts.up + counts.down + counts.inconclusive + counts.pending;
  if (total === 0) return 'No paths scheduled';
  const failing = counts.down + counts.inconclusive;
  if (failing > 0) return `${failing} of ${total} ${total === 1 ? 'path' : 'paths'} failing`;
  if (counts.pending > 0) return `Waiting for the first result of ${counts.pending} of ${total} paths`;
  return `All ${total} ${total === 1 ? 'path behaves' : 'paths behave'} as declared`;
}

/** The first few failing paths with their result, so the summary alone says where to look. */
function failingLine(model: StatusPageModel): SafeHtml | false {
  const failing = model.paths.filter((p) => p.state === 'down' || p.state === 'inconclusive');
  if (failing.length === 0) return false;
  const shown = failing.slice(0, 4).map((p) => `${p.name} (${p.state === 'inconclusive' ? 'inconclusive' : p.result ?? '?'})`);
  const more = failing.length > shown.length ? ` and ${failing.length - shown.length} more` : '';
  return html`<span class="sub" id="failing">${shown.join(', ')}${more}</span>`;
}

const COUNT_LABEL: Record<PathStateName, string> = {
  up: 'up — as declared',
  down: 'down',
  inconclusive: 'inconclusive',
  pending: 'pending',
};

/** The dark top bar: which agent this is and how fresh the page is. */
export function renderTopbar(model: StatusPageModel): SafeHtml {
  const sourceText = model.source === null ? 'all sources' : model.source;
  return html`<header class="topbar"><div class="inner">
<span class="brand">pathprobe</span>
<span class="meta">agent source <b>${sourceText}</b></span>
<span class="meta">${model.paths.length} ${model.paths.length === 1 ? 'path' : 'paths'}</span>
<span class="meta right">updated ${formatUtc(model.now)} · refreshes every ${model.refreshSeconds} s · v${model.version}</span>
</div></header>`;
}

/** Readiness banner and the summary row: one sentence, then the counts by state. */
export function renderSummary(model: StatusPageModel): SafeHtml {
  const counts = countByState(model);
  const overall = overallOf(counts);
  return html`${!model.ready && html`<div class="banner" role="status"><b>Not ready.</b> The catalog is not loaded yet or not every path is scheduled; results below may be incomplete.</div>`}
<section class="summary" aria-label="summary">
<div class="verdict ${overall}"><span id="verdict">${verdictSentence(counts)}</span>${failingLine(model)}</div>
${PATH_STATES.map(
  (s) => html`<div class="count ${s}${counts[s] > 0 ? ' nonzero' : ''}" id="count-${s}"><span class="n">${counts[s]}</span><span class="l">${STATE_MARK[s]} ${COUNT_LABEL[s]}</span></div>`,
)}
</section>`;
}

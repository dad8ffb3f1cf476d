// The "what each result means" section: the reason the product exists is that timeout and
// refused point at different teams, so the page spells every class out.
import { RESULT_CLASSES, RESULT_MEANING } from '../../classify/result-class.js';
import { html, type SafeHtml } from './escape.js';
import { resultClasses } from './result-style.js';

/** Callout plus one table row per result class (RESULT_MEANING). */
export function renderResultGuide(): SafeHtml {
  return html`<h2 id="results">What the results mean</h2>
<div class="callout"><b>timeout</b> means the packets were silently dropped: almost always a NetworkPolicy (egress at the source or ingress at the destination). <b>refused</b> means the packet arrived and the host answered with a reset: the port, the pod or the Service's endpoints are wrong, not the policy. DNS usually breaks first when egress is denied, and slowly (5 s per attempt).</div>
<div class="panel"><table class="guide" id="result-guide">
<thead><tr><th scope="col">result</th><th scope="col">meaning</th><th scope="col">typical cause</th></tr></thead>
<tbody>${RESULT_CLASSES.map((c) => {
    const m = RESULT_MEANING[c];
    return html`
<tr id="result-${c}"><td><span class="badge ${resultClasses(c)}">${c}</span></td><td>${m.meaning}</td><td>${m.cause || '—'}</td></tr>`;
  })}
</tbody></table></div>`;
}

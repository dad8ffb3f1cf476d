// Renders explain results: the JSON document of the contract, and a text report meant to be
// read in a CI log (what is denied, by which missing allow, the YAML that would fix it).
import type { PathSpec } from '../catalog/types.js';
import type { DirectionSummary, ExplainReport, PathExplanation } from '../netpol/types.js';
import { oneLine } from '../one-line.js';

/** The `explain --output json` document, fields in contract order. */
export function explainJson(results: readonly PathExplanation[]): string {
  const report: ExplainReport = {
    paths: results.map((r) => ({
      path: r.path, expect: r.expect, verdict: r.verdict, matches: r.matches, from: r.from, to: r.to,
      egress: r.egress, ingress: r.ingress, suggestion: r.suggestion,
      ...(r.suggestionVerified !== undefined ? { suggestionVerified: r.suggestionVerified } : {}),
      connections: r.connections, notes: r.notes,
    })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** A GitHub workflow command's message: %, CR and LF escaped as the runner expects. */
function annotationData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A GitHub workflow command's property value: the message's escapes plus `:` and `,`. */
function annotationProperty(text: string): string {
  return annotationData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function direction(name: string, d: DirectionSummary): string {
  if (!d.applies) return `${name}: not evaluated (outside the pod network)`;
  if (!d.isolated) return `${name}: not isolated (no policy selects it), open`;
  const by = d.allowedBy.map((r) => `${r.policy}[${r.rule}]`).join(', ');
  const state = d.allowed === true ? `allowed by ${by}` : d.allowed === null ? `undecided offline${by ? `; allowed by ${by} for some` : ''}` : `DENIED${by ? ` (allowed only by ${by} for some connections)` : ''}`;
  return `${name}: isolated by ${d.isolatedBy.join(', ')}; ${state}`;
}

function indent(text: string, prefix: string): string {
  return text.trimEnd().split('\n').map((l) => `${prefix}${l}`).join('\n');
}

/** The text report; `locations` (path name → catalog spec) feeds GitHub annotations. */
export function explainText(results: readonly PathExplanation[], options: { githubAnnotations?: boolean; specs?: ReadonlyMap<string, PathSpec> } = {}): string {
  const out: string[] = [];
  for (const r of results) {
    const head = r.matches ? 'ok  ' : 'FAIL';
    out.push(`${head} ${r.path}: ${r.verdict} (expect ${r.expect})`);
    out.push(`     from ${oneLine(r.from)}`, `     to   ${oneLine(r.to)}`);
    if (r.matches && r.notes.length === 0) {
      out.push(`     ${oneLine(direction('egress', r.egress))}`, `     ${oneLine(direction('ingress', r.ingress))}`, '');
      continue;
    }
    out.push(`     ${oneLine(direction('egress', r.egress))}`, `     ${oneLine(direction('ingress', r.ingress))}`);
    for (const note of r.notes) out.push(`     - ${oneLine(note)}`);
    if (r.suggestion) {
      out.push(`     suggested allow${r.suggestionVerified ? ' (re-evaluated: opens the path)' : ' (does NOT open the path on its own; see notes)'}:`);
      out.push(indent(r.suggestion, '       '));
    }
    if (!r.matches && options.githubAnnotations) {
      const spec = options.specs?.get(r.path);
      const where = spec ? `file=${annotationProperty(spec.location.file)},line=${spec.location.line},col=${spec.location.col},` : '';
      const why = oneLine(r.notes[0] ?? '');
      out.push(`::error ${where}title=${annotationProperty(`pathprobe explain ${r.path}`)}::${annotationData(`${r.verdict} (expect ${r.expect}) ${why}`)}`);
    }
    out.push('');
  }
  const failing = results.filter((r) => !r.matches);
  out.push(`pathprobe explain: ${results.length} paths, ${results.length - failing.length} as declared, ${failing.length} not${failing.length > 0 ? `: ${failing.map((r) => r.path).join(', ')}` : ''}`);
  return `${out.join('\n')}\n`;
}

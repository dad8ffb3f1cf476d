// Explains one catalog path: resolves it, evaluates every connection, folds them into one
// verdict with the deciding policies, and proposes (and checks) an allow when it is denied.
import { isIP } from 'node:net';
import type { PathSpec } from '../catalog/types.js';
import { evaluateConnection, type ConnectionResult, type DirectionVerdict, type PolicyLookup, type RuleRef } from './evaluate.js';
import type { ClusterModel } from './model.js';
import { compilePolicy, type CompiledPolicy } from './policy.js';
import { describeLabels, resolvePath, type ResolveOptions, type ResolvedPath } from './resolve.js';
import { renderPolicies, suggestPolicies } from './suggest.js';
import { verdictMatches, type ConnectionCounts, type DirectionSummary, type PathExplanation, type Verdict } from './types.js';

/** A lookup that sees the model plus extra policies (used to verify a suggestion). */
export function overlayLookup(model: ClusterModel, extra: readonly CompiledPolicy[]): PolicyLookup {
  return {
    namespaceLabels: (ns) => model.namespaceLabels(ns),
    policiesIn: (ns) => {
      const more = extra.filter((p) => p.namespace === ns);
      return more.length === 0 ? model.policiesIn(ns) : [...model.policiesIn(ns), ...more];
    },
  };
}

function refText(r: RuleRef): string {
  return `${r.policy} rule ${r.rule}`;
}

function uniqueRefs(refs: RuleRef[]): RuleRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.policy}#${r.rule}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function summarise(verdicts: DirectionVerdict[]): DirectionSummary {
  const allowed = verdicts.length === 0 ? null : verdicts.some((v) => v.allowed === false) ? false : verdicts.some((v) => v.allowed === 'maybe') ? null : true;
  return {
    applies: verdicts.some((v) => v.applies),
    isolated: verdicts.some((v) => v.isolated),
    allowed,
    isolatedBy: [...new Set(verdicts.flatMap((v) => v.isolatedBy))],
    allowedBy: uniqueRefs(verdicts.flatMap((v) => v.allowedBy)),
  };
}

function countOf(results: readonly ConnectionResult[]): ConnectionCounts {
  const c: ConnectionCounts = { total: results.length, allowed: 0, deniedEgress: 0, deniedIngress: 0, unknown: 0 };
  for (const r of results) {
    if (r.verdict === 'allowed') c.allowed++;
    else if (r.verdict === 'denied_egress') c.deniedEgress++;
    else if (r.verdict === 'denied_ingress') c.deniedIngress++;
    else c.unknown++;
  }
  return c;
}

/**
 * Folds connection verdicts into the path's. Several sources or endpoints may disagree; the
 * verdict is then the one that contradicts `expect`: a must-work path must work to every
 * endpoint from every source pod, a blocked path must be blocked for all of them.
 */
export function foldVerdict(expect: PathSpec['expect'], c: ConnectionCounts): Verdict {
  if (c.total === 0) return 'unknown';
  if (expect === 'blocked') {
    if (c.allowed > 0) return 'allowed';
    // One undecided connection may be the breach: a blocked path is proven only when all deny.
    if (c.unknown > 0) return 'unknown';
  }
  if (c.deniedEgress > 0) return 'denied_egress';
  if (c.deniedIngress > 0) return 'denied_ingress';
  if (c.unknown > 0) return 'unknown';
  return 'allowed';
}

function connectionText(r: ConnectionResult): string {
  return `${r.connection.source.display} → ${targetText(r)} ${r.connection.protocol} ${r.connection.port}`;
}

function targetText(r: ConnectionResult): string {
  const d = r.connection.destination;
  return d.kind === 'pod' ? d.pod.display : d.host;
}

function denialNotes(results: readonly ConnectionResult[], notes: string[]): void {
  const egressDenied = results.find((r) => r.egress.allowed === false);
  if (egressDenied) {
    notes.push(`egress denied: ${egressDenied.connection.source.display} is isolated for egress by ${egressDenied.egress.isolatedBy.join(', ')} and no egress rule allows ${egressDenied.connection.protocol} ${egressDenied.connection.port} to ${targetText(egressDenied)}`);
  }
  const ingressDenied = results.find((r) => r.ingress.allowed === false);
  if (ingressDenied && ingressDenied.connection.destination.kind === 'pod') {
    notes.push(`ingress denied: ${ingressDenied.connection.destination.pod.display} is isolated for ingress by ${ingressDenied.ingress.isolatedBy.join(', ')} and no ingress rule allows ${ingressDenied.connection.protocol} ${ingressDenied.connection.port} from ${ingressDenied.connection.source.display}`);
  }
  // DNS needs both protocols; say which one is missing.
  const protocols = [...new Set(results.map((r) => r.connection.protocol))];
  if (protocols.length > 1) {
    for (const p of protocols) {
      const ofP = results.filter((r) => r.connection.protocol === p);
      const denied = ofP.filter((r) => r.verdict === 'denied_egress' || r.verdict === 'denied_ingress');
      const port = ofP[0]?.connection.port;
      if (denied.length > 0) notes.push(`${p} ${port} denied (${denied[0]!.verdict === 'denied_egress' ? 'egress' : 'ingress'})`);
      else notes.push(`${p} ${port} allowed`);
    }
  }
}

function maybeNotes(results: readonly ConnectionResult[], notes: string[]): void {
  const refs = uniqueRefs(results.flatMap((r) => [...r.egress.maybeBy, ...r.ingress.maybeBy]));
  if (refs.length > 0 && results.some((r) => r.verdict === 'unknown')) {
    notes.push(`depends on addresses unknown offline: ipBlock of ${refs.map(refText).join(', ')} may or may not match`);
  }
}

function tooBroadNotes(results: readonly ConnectionResult[], notes: string[]): void {
  const allowed = results.filter((r) => r.verdict === 'allowed');
  if (allowed.length === 0) return;
  const egress = summarise(allowed.map((r) => r.egress));
  const ingress = summarise(allowed.map((r) => r.ingress));
  const sample = connectionText(allowed[0]!);
  notes.push(`expected blocked, but ${allowed.length} of ${results.length} connections are allowed (e.g. ${sample})`);
  if (!egress.isolated) notes.push('egress: the source is not isolated for egress (no NetworkPolicy selects it for Egress)');
  else notes.push(`egress allowed by ${egress.allowedBy.map(refText).join(', ')} (too broad)`);
  if (ingress.applies) {
    if (!ingress.isolated) notes.push('ingress: the destination is not isolated for ingress (no NetworkPolicy selects it for Ingress)');
    else notes.push(`ingress allowed by ${ingress.allowedBy.map(refText).join(', ')} (too broad)`);
  }
}

/** Describes a source identity. */
function fromText(path: PathSpec): string {
  return `${path.source.namespace}/${describeLabels(path.source.labels)}`;
}

/** Explains one path against a model. */
/**
 * A tcp or http path to a Service by name resolves the name first, over UDP 53 to the cluster
 * DNS. The verdict is the connection's; when that lookup is denied, a note says so: the probe (and
 * the application) fails with dns_timeout before the connection is tried. A dns path declared
 * for the source is where the verdict for DNS itself belongs.
 */
function lookupNotes(model: ClusterModel, path: PathSpec, resolved: ResolvedPath, options: ResolveOptions, notes: string[]): void {
  if (path.check === 'dns' || resolved.destination.kind !== 'service' || resolved.unresolved || isIP(path.host.replace(/\.$/, '')) !== 0) return;
  const lookup = resolvePath(model, { ...path, check: 'dns', dns: undefined }, options);
  if (lookup.unresolved) return;
  const denied = lookup.targets.filter((t) => t.protocol === 'UDP').flatMap((target) => lookup.sources.map((source) =>
    evaluateConnection(model, { source, destination: target.destination, port: target.port, protocol: target.protocol })))
    .filter((r) => r.verdict === 'denied_egress' || r.verdict === 'denied_ingress');
  if (denied.length === 0) return;
  const where = denied[0]!.verdict === 'denied_egress' ? `egress at ${denied[0]!.connection.source.display}` : 'ingress at the cluster DNS';
  notes.push(`name lookup denied: UDP ${denied[0]!.connection.port} to the cluster DNS is denied (${where}), so resolving ${path.host} ends in dns_timeout before this connection is tried; allow DNS egress for the source (a dns path to any name checks it)`);
}

export function explainPath(model: ClusterModel, path: PathSpec, options: ResolveOptions): { explanation: PathExplanation; resolved: ResolvedPath } {
  const resolved = resolvePath(model, path, options);
  const results = resolved.unresolved ? [] : resolved.targets.flatMap((target) =>
    resolved.sources.map((source) => evaluateConnection(model, { source, destination: target.destination, port: target.port, protocol: target.protocol })));
  const counts = countOf(results);
  let verdict = foldVerdict(path.expect, counts);
  const notes: string[] = [];
  if (resolved.unresolved) notes.push(resolved.unresolved);
  notes.push(...resolved.notes);
  if (counts.total > 1 && counts.allowed > 0 && counts.allowed < counts.total) {
    notes.push(`${counts.allowed} of ${counts.total} connections allowed; the verdict is the one that contradicts expect: ${path.expect}`);
  }
  denialNotes(results, notes);
  maybeNotes(results, notes);
  if (path.expect === 'blocked') tooBroadNotes(results, notes);
  if (resolved.destination.kind === 'address') notes.push('ingress not evaluated: the destination is outside the pod network');
  lookupNotes(model, path, resolved, options, notes);

  let suggestion: string | null = null;
  let suggestionVerified: boolean | undefined;
  if (path.expect === 'reachable' && (verdict === 'denied_egress' || verdict === 'denied_ingress')) {
    const s = suggestPolicies(path, resolved, results);
    if (s) {
      suggestion = renderPolicies(s.policies);
      notes.push(...s.remarks);
      // Re-evaluate with the suggestion added: a suggestion that does not open the path is a bug.
      const compiled = s.policies.map((p) => compilePolicy(p, model.defaultNamespace).policy).filter((p): p is CompiledPolicy => p !== undefined);
      const lookup = overlayLookup(model, compiled);
      suggestionVerified = compiled.length === s.policies.length &&
        results.every((r) => evaluateConnection(lookup, r.connection).verdict === 'allowed');
      if (!suggestionVerified) notes.push('the suggested policy does not open every connection on its own (see the notes above)');
    }
  }

  const opaque = model.opaqueAffecting(resolved.namespaces);
  if (opaque.length > 0) {
    notes.push(`verdict unknown: ${opaque.map((o) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}${o.why === 'invalid' ? ` (invalid: ${o.detail})` : ''}`).join('; ')} may select the source or destination and ${opaque.length === 1 ? 'is' : 'are'} not evaluated; NetworkPolicy v1 alone gives ${verdict}`);
    verdict = 'unknown';
  }

  const egress = summarise(results.map((r) => r.egress));
  const ingress = results.length > 0 ? summarise(results.map((r) => r.ingress)) : { ...summarise([]), applies: resolved.destination.kind !== 'address' };
  const explanation: PathExplanation = {
    path: path.name,
    expect: path.expect,
    verdict,
    matches: verdictMatches(path.expect, verdict),
    from: fromText(path),
    to: `${resolved.destination.display}${resolved.targets[0] ? ` ${[...new Set(resolved.targets.map((t) => `${t.protocol} ${t.port}`))].join(', ')}` : ''}`,
    egress,
    ingress,
    suggestion,
    connections: counts,
    notes,
  };
  if (suggestionVerified !== undefined) explanation.suggestionVerified = suggestionVerified;
  return { explanation, resolved };
}

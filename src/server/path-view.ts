// Turns the agent's PathStatus read model into the JSON view the API and the status page show.
// Timestamps become ISO 8601 UTC strings; absent facts become null, never missing keys.
import type { PathStatus } from '../agent/path-status.js';
import type { ExplainReader } from './explain-reader.js';
import type { PathView } from './api-schema.js';

/** ISO 8601 UTC from epoch milliseconds, or null. */
export function isoOrNull(epochMs: number | undefined): string | null {
  return epochMs === undefined || !Number.isFinite(epochMs) ? null : new Date(epochMs).toISOString();
}

/** The API/page view of one path. */
export function toPathView(status: PathStatus, explain?: ExplainReader, options: { history?: boolean } = {}): PathView {
  const { spec, last } = status;
  const outcome = last?.outcome;
  const verdict = explain?.get(spec.name);
  return {
    name: spec.name,
    baseName: spec.baseName,
    source: spec.source.name,
    fromNamespace: spec.source.namespace,
    check: spec.check,
    target: spec.target,
    toNamespace: spec.toNamespace,
    expect: spec.expect,
    control: spec.control ?? null,
    severity: spec.severity,
    owner: spec.owner ?? null,
    runbook: spec.runbook ?? null,
    intervalSeconds: spec.intervalMs / 1000,
    timeoutSeconds: spec.timeoutMs / 1000,
    state: status.state,
    up: last ? last.up : null,
    result: outcome?.result ?? null,
    detail: outcome?.detail ?? null,
    status: outcome?.status ?? null,
    durationSeconds: outcome?.durationSeconds ?? null,
    phases: { ...(outcome?.phases ?? {}) },
    lastProbeAt: isoOrNull(last?.at),
    lastChangeAt: isoOrNull(status.lastChangeAt),
    lastSuccessAt: isoOrNull(status.lastSuccessAt),
    // The status page shows no history: building it (60 entries, ISO times) per path per render was most of its cost.
    history: options.history === false ? [] : status.history.map((h) => ({
      at: new Date(h.at).toISOString(),
      result: h.result,
      up: h.up,
      durationSeconds: h.durationSeconds,
    })),
    policy: verdict ? { verdict: verdict.verdict, summary: verdict.summary } : null,
  };
}

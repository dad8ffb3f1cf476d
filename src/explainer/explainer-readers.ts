// Read-only views of the live explainer for the HTTP server: the status reader (catalog paths;
// the explainer probes nothing, so every path is `pending`), the policy column, and the explain API.
import type { PathStatus, StatusReader } from '../agent/path-status.js';
import type { ClusterInformers } from '../k8s/cluster-informers.js';
import type { ExplainApi } from '../server/explain-api-schema.js';
import type { ExplainReader } from '../server/explain-reader.js';
import type { ExplainReportReader } from '../server/routes/explain-api-routes.js';
import type { LiveExplainer, LiveExplanation } from './live-explainer.js';

/** Paths of the catalog, ready once the model is built. */
export function explainerStatusReader(live: LiveExplainer): StatusReader {
  const view = (spec: PathStatus['spec']): PathStatus => ({ spec, state: 'pending', history: [] });
  return {
    list: () => live.paths().map(view),
    get: (name) => {
      const spec = live.paths().find((p) => p.name === name);
      return spec ? view(spec) : undefined;
    },
    ready: () => live.ready(),
    sourceFilter: () => undefined,
  };
}

/** One line per path for the status page and /api/v1/paths. */
export function explainerVerdictReader(live: LiveExplainer): ExplainReader {
  return {
    get(path) {
      const e = live.get(path);
      return e ? { verdict: e.verdict, summary: summarize(e) } : undefined;
    },
  };
}

function summarize(e: LiveExplanation): string {
  const first = e.notes?.[0];
  if (first) return first;
  return e.from && e.to ? `${e.from} → ${e.to}: ${e.verdict}` : e.verdict;
}

/** The document of GET /api/v1/explain. */
export function explainerReportReader(live: LiveExplainer, informers: ClusterInformers, now: () => number = Date.now): ExplainReportReader {
  return {
    report(): ExplainApi {
      return {
        generatedAt: new Date(now()).toISOString(),
        synced: live.ready(),
        connected: informers.connected(),
        informers: informers.status().map(({ kind, synced, watching, resourceVersion, objects }) => ({ kind, synced, watching, resourceVersion, objects })),
        paths: live.list() as unknown as ExplainApi['paths'],
      };
    },
  };
}

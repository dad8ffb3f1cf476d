// What the HTTP server needs from the rest of the agent. Everything is read-only to the server.
import type { Registry } from 'prom-client';
import type { StatusReader } from '../agent/path-status.js';
import type { ExplainReader } from './explain-reader.js';
import type { ExplainReportReader } from './routes/explain-api-routes.js';

/** Shared by every route plugin. */
export interface ServerDeps {
  /** The agent's metrics registry (never the global one). */
  registry: Registry;
  status: StatusReader;
  /** Shown in the page header. */
  version: string;
  /** The policy explainer's verdicts; absent means no policy column and `policy: null`. */
  explain?: ExplainReader;
  /** The live explainer's full explanations; present means GET /api/v1/explain is served. */
  explainReport?: ExplainReportReader;
  /** Clock for `generatedAt` and relative times (tests pin it). Default Date.now. */
  now?: () => number;
  /** Status page auto-refresh interval in seconds. Default 10. */
  refreshSeconds?: number;
  /** Reuse a rendered status page for this many ms, and at least 10× its render time (many viewers, one render; the page refreshes every 10 s). Default 0: always fresh. */
  pageCacheMs?: number;
}

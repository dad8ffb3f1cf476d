// GET /metrics: the agent's registry in the Prometheus text format.
import type { FastifyPluginAsync } from 'fastify';
import { renderMetricsSliced } from '../../metrics/render-sliced.js';
import { coalesce } from '../coalesce.js';
import { EncodedBody, sendEncoded } from '../encoded-body.js';
import type { ServerDeps } from '../deps.js';

/** A /metrics render is shared for this many times its render time. */
export const METRICS_REUSE_FACTOR = 4;

/**
 * Serves the registry's text with `registry.contentType`. OpenMetrics negotiation is not offered:
 * prom-client picks the format per registry, not per request. The agent's registry
 * (metrics/agent-registry.ts) renders its per-path series — nearly all of the text — in a worker
 * thread, so a scrape does not hold the agent's thread for long; any other registry is rendered
 * in slices that yield to the event loop. Scrapes arriving during a render share it, and its gzip
 * encoding, made once per render for the clients that accept it (encoded-body.ts).
 */
export const metricsRoutes: FastifyPluginAsync<Pick<ServerDeps, 'registry'>> = async (app, { registry }) => {
  // One Buffer (outside the V8 heap, so minor GCs do not copy a 20 MB string), shared by every
  // request of a render. A render is reused for four times as long as it took, so back-to-back
  // scrapers keep the renderer busy a fifth of the time at most (a few ms of staleness for a small
  // catalog, ~0.3 s at 10,000 paths); never once the agent's paths changed (a reload).
  const agent = registry as { exposition?: () => Promise<Buffer>; version?: number };
  const render = coalesce(
    async () => new EncodedBody(typeof agent.exposition === 'function' ? await agent.exposition() : Buffer.from(await renderMetricsSliced(registry))),
    { costFactor: METRICS_REUSE_FACTOR, version: () => agent.version },
  );
  app.get(
    '/metrics',
    {
      schema: {
        response: { 200: { type: 'string' } },
      },
    },
    async (request, reply) => {
      const body = await render();
      return sendEncoded(request, reply.type(registry.contentType), body);
    },
  );
};

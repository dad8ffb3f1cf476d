// GET /metrics: the agent's registry in the Prometheus text format.
import type { FastifyPluginAsync } from 'fastify';
import { renderMetricsSliced } from '../../metrics/render-sliced.js';
import { coalesce } from '../coalesce.js';
import type { ServerDeps } from '../deps.js';

/**
 * Serves `registry.metrics()` with `registry.contentType`. OpenMetrics negotiation is not
 * offered: prom-client picks the format per registry, not per request. The text is rendered in
 * slices that yield to the event loop (the scheduler keeps its timing during a scrape), and
 * scrapes that arrive while a render runs share it.
 */
export const metricsRoutes: FastifyPluginAsync<Pick<ServerDeps, 'registry'>> = async (app, { registry }) => {
  // Encoded once: every request sharing a render sends the same bytes. A render is reused for as
  // long as it took, so back-to-back scrapers hold at most half of the event loop.
  const render = coalesce(async () => Buffer.from(await renderMetricsSliced(registry)), { costFactor: 1 });
  app.get(
    '/metrics',
    {
      schema: {
        response: { 200: { type: 'string' } },
      },
    },
    async (_request, reply) => {
      const body = await render();
      return reply.type(registry.contentType).send(body);
    },
  );
};

// GET /metrics: the agent's registry in the Prometheus text format.
import type { FastifyPluginAsync } from 'fastify';
import type { ServerDeps } from '../deps.js';

/**
 * Serves `registry.metrics()` with `registry.contentType`. OpenMetrics negotiation is not
 * offered: prom-client picks the format per registry, not per request.
 */
export const metricsRoutes: FastifyPluginAsync<Pick<ServerDeps, 'registry'>> = async (app, { registry }) => {
  app.get(
    '/metrics',
    {
      schema: {
        response: { 200: { type: 'string' } },
      },
    },
    async (_request, reply) => {
      const body = await registry.metrics();
      return reply.type(registry.contentType).send(body);
    },
  );
};

// GET /metrics: the agent's registry in the Prometheus text format.
import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { ServerDeps } from '../deps.js';

/**
 * Serves `registry.metrics()` (streamed when the registry offers metricsText()) with `registry.contentType`. OpenMetrics negotiation is not
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
      // A registry that can stream its text (metrics/fast-registry.ts, the agent's) streams it.
      const streaming = registry as { metricsText?: () => AsyncGenerator<string> };
      if (typeof streaming.metricsText === 'function') {
        return reply.type(registry.contentType).send(Readable.from(streaming.metricsText(), { objectMode: false }));
      }
      const body = await registry.metrics();
      return reply.type(registry.contentType).send(body);
    },
  );
};

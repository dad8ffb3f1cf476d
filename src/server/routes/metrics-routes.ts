// GET /metrics: the agent's registry in the Prometheus text format.
import type { FastifyPluginAsync } from 'fastify';
import { renderMetricsSliced } from '../../metrics/render-sliced.js';
import { coalesce } from '../coalesce.js';
import type { ServerDeps } from '../deps.js';

/**
 * Serves the registry's text with `registry.contentType`. OpenMetrics negotiation is not offered:
 * prom-client picks the format per registry, not per request. The agent's registry
 * (metrics/fast-registry.ts) streams its text in slices, so a scrape neither holds back the
 * scheduler's timers nor keeps a 20 MB string alive across minor GCs; any other registry is
 * rendered in slices that yield to the event loop. Scrapes arriving during a render share it.
 */
export const metricsRoutes: FastifyPluginAsync<Pick<ServerDeps, 'registry'>> = async (app, { registry }) => {
  // The text is collected as Buffers (outside the V8 heap, so minor GCs do not copy a 20 MB string)
  // and encoded once: every request sharing a render sends the same bytes. A render is reused for
  // as long as it took, so back-to-back scrapers hold at most half of the event loop.
  const streaming = registry as { metricsText?: () => AsyncGenerator<string> };
  const render = coalesce(async () => {
    if (typeof streaming.metricsText !== 'function') return Buffer.from(await renderMetricsSliced(registry));
    const chunks: Buffer[] = [];
    for await (const text of streaming.metricsText()) chunks.push(Buffer.from(text));
    return Buffer.concat(chunks);
  }, { costFactor: 1 });
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

// GET /-/healthy and /-/ready, the Prometheus-style probes a kubelet calls.
import type { FastifyPluginAsync } from 'fastify';
import type { ServerDeps } from '../deps.js';

/** Body of /-/ready while the agent is not ready. */
export const NOT_READY_REASON = 'not ready: the catalog is not loaded yet or not every path is scheduled';

const textResponse = { type: 'string' } as const;

/** /-/healthy is 200 while the process serves; /-/ready follows StatusReader.ready(). */
export const healthRoutes: FastifyPluginAsync<Pick<ServerDeps, 'status'>> = async (app, { status }) => {
  app.get(
    '/-/healthy',
    { schema: { response: { 200: textResponse } } },
    async (_request, reply) => reply.type('text/plain; charset=utf-8').send('OK'),
  );
  app.get(
    '/-/ready',
    {
      schema: {
        response: { 200: textResponse, 503: textResponse },
      },
    },
    async (_request, reply) => {
      reply.type('text/plain; charset=utf-8');
      return status.ready() ? reply.send('OK') : reply.code(503).send(NOT_READY_REASON);
    },
  );
};

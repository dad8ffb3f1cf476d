// GET /: the server-rendered status page (no script, inline CSS, its own CSP).
import type { FastifyPluginAsync } from 'fastify';
import { coalesce } from '../coalesce.js';
import type { ServerDeps } from '../deps.js';
import { PAGE_CSP } from '../page/layout.js';
import { renderStatusPage } from '../page/render-page.js';
import { toPathView } from '../path-view.js';

/** The status page. */
export const statusPageRoute: FastifyPluginAsync<ServerDeps> = async (app, deps) => {
  const { status, explain, version, now = Date.now, refreshSeconds = 10, pageCacheMs = 0 } = deps;
  const render = coalesce(async () => Buffer.from(renderStatusPage({
    source: status.sourceFilter() ?? null,
    version,
    now: now(),
    ready: status.ready(),
    paths: status.list().map((s) => toPathView(s, explain)),
    showPolicy: explain !== undefined,
    refreshSeconds,
  })), { maxAgeMs: pageCacheMs, costFactor: pageCacheMs > 0 ? 4 : 0 });
  app.get(
    '/',
    { schema: { response: { 200: { type: 'string' } } } },
    async (_request, reply) => {
      const page = await render();
      return reply.header('content-security-policy', PAGE_CSP).type('text/html; charset=utf-8').send(page);
    },
  );
};

// GET /: the server-rendered status page (no script, inline CSS, its own CSP).
import type { FastifyPluginAsync } from 'fastify';
import { coalesce } from '../coalesce.js';
import { EncodedBody, sendEncoded } from '../encoded-body.js';
import type { ServerDeps } from '../deps.js';
import { PAGE_CSP } from '../page/layout.js';
import { renderStatusPageSliced } from '../page/sliced.js';

/**
 * A page render is reused for this many times as long as it took (and at least pageCacheMs):
 * under a crowd of viewers, rendering holds at most ~1/11 of the agent's loop (a 10,000-path page
 * is ~0.2 s of work, so it is then ~2 s old at most; the page itself refreshes every 10 s).
 */
export const PAGE_REUSE_FACTOR = 10;

/** The status page. */
export const statusPageRoute: FastifyPluginAsync<ServerDeps> = async (app, deps) => {
  const { status, explain, version, now = Date.now, refreshSeconds = 10, pageCacheMs = 0 } = deps;
  // Built in slices (page/sliced.ts): each path is read when its slice is built (its row is
  // consistent; two rows may be a render time apart, as two scrapes of /api/v1/paths/NAME would be).
  const render = coalesce(async () => new EncodedBody(await renderStatusPageSliced({
    source: status.sourceFilter() ?? null,
    version,
    now: now(),
    ready: status.ready(),
    statuses: status.list(),
    ...(explain ? { explain } : {}),
    showPolicy: explain !== undefined,
    refreshSeconds,
  })), { maxAgeMs: pageCacheMs, costFactor: pageCacheMs > 0 ? PAGE_REUSE_FACTOR : 0 });
  app.get(
    '/',
    { schema: { response: { 200: { type: 'string' } } } },
    async (request, reply) => {
      const page = await render();
      return sendEncoded(request, reply.header('content-security-policy', PAGE_CSP).type('text/html; charset=utf-8'), page);
    },
  );
};

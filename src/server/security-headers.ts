// Response headers every answer carries: no sniffing, no framing, no caching, and a CSP that
// allows nothing (the status page route replaces it with its own, still without script).
import type { FastifyInstance } from 'fastify';

/** CSP for every non-HTML answer: nothing may load, nothing may frame it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Headers set on every response before the handler runs (so 404s and errors carry them too). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': API_CSP,
  // Every answer is live state; a cached /metrics would show Prometheus stale values as fresh.
  'cache-control': 'no-store',
};

/** Adds SECURITY_HEADERS to every response of `app` (call on the root instance). */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
}

// Builds the agent's HTTP server (without listening): metrics, health, the paths API and the
// status page. The server only reads the agent's state; no route fetches or connects anywhere.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ServerDeps } from './deps.js';
import { clientErrorHandler, frameworkErrorHandler, installErrorHandlers, MAX_PARAM_LENGTH } from './http-errors.js';
import { explainApiRoutes } from './routes/explain-api-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { metricsRoutes } from './routes/metrics-routes.js';
import { pathsApiRoutes } from './routes/paths-api-routes.js';
import { statusPageRoute } from './routes/status-page-route.js';
import { installSecurityHeaders } from './security-headers.js';

/** Largest request body accepted; there are no routes that take one. */
export const BODY_LIMIT_BYTES = 1024;

/** Longest URL parameter (a path name, `<base>@<namespace>` included). */
export { MAX_PARAM_LENGTH };

/** buildApp's dependencies. `logger`: a pino (or Fastify) logger, Fastify logger options, or false. */
export interface BuildAppDeps extends ServerDeps {
  logger?: FastifyBaseLogger | FastifyServerOptions['logger'];
}

function isLoggerInstance(logger: unknown): logger is FastifyBaseLogger {
  return typeof logger === 'object' && logger !== null && typeof (logger as { child?: unknown }).child === 'function';
}

/** The HTTP server, not listening: call `listen()` (listen.ts) or use `app.inject()` in tests. */
export function buildApp(deps: BuildAppDeps): FastifyInstance {
  const { logger = false, ...serverDeps } = deps;
  const app = Fastify({
    ...(isLoggerInstance(logger) ? { loggerInstance: logger } : { logger }),
    // A scrape every few seconds must not become a log line every few seconds.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
  }) as unknown as FastifyInstance;

  installSecurityHeaders(app);
  installErrorHandlers(app);
  void app.register(metricsRoutes, { registry: serverDeps.registry });
  void app.register(healthRoutes, { status: serverDeps.status });
  void app.register(pathsApiRoutes, serverDeps);
  void app.register(statusPageRoute, serverDeps);
  if (serverDeps.explainReport) void app.register(explainApiRoutes, { explainReport: serverDeps.explainReport });
  return app;
}

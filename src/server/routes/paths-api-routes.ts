// GET /api/v1/paths and /api/v1/paths/:name: the status of every path as JSON (api-schema.ts).
import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ApiErrorSchema, PathListSchema, PathViewSchema, type PathList } from '../api-schema.js';
import type { ServerDeps } from '../deps.js';
import { sendError } from '../http-errors.js';
import { toPathView } from '../path-view.js';

const ListQuery = Type.Object({
  path: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'exact path name' })),
});
const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 512 }) });

/** The paths API. */
export const pathsApiRoutes: FastifyPluginAsync<Pick<ServerDeps, 'status' | 'explain' | 'now'>> = async (
  app,
  { status, explain, now = Date.now },
) => {
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/api/v1/paths',
    {
      schema: {
        querystring: ListQuery,
        response: { 200: PathListSchema, 400: ApiErrorSchema },
      },
    },
    async (request): Promise<PathList> => {
      const wanted = request.query.path;
      const statuses = wanted === undefined ? status.list() : status.list().filter((s) => s.spec.name === wanted);
      return {
        source: status.sourceFilter() ?? null,
        generatedAt: new Date(now()).toISOString(),
        paths: statuses.map((s) => toPathView(s, explain)),
      };
    },
  );

  app.get<{ Params: Static<typeof NameParams> }>(
    '/api/v1/paths/:name',
    {
      schema: {
        params: NameParams,
        response: { 200: PathViewSchema, 404: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      const found = status.get(request.params.name);
      if (!found) return sendError(reply, 'pathNotFound', `no path named ${JSON.stringify(request.params.name)}`);
      return toPathView(found, explain);
    },
  );
};

// GET /api/v1/paths and /api/v1/paths/:name: the status of every path as JSON (api-schema.ts).
import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { PathStatus } from '../../agent/path-status.js';
import { ApiErrorSchema, PathListSchema, PathViewSchema, type PathView } from '../api-schema.js';
import { coalesce } from '../coalesce.js';
import { EncodedBody, sendEncoded } from '../encoded-body.js';
import { renderPathList } from '../paths-list.js';
import type { ServerDeps } from '../deps.js';
import { MAX_PARAM_LENGTH, sendError } from '../http-errors.js';
import { toPathView } from '../path-view.js';

// No maxLength on ?path=: a longer name is PP_HTTP_URI_TOO_LONG (414), as in /api/v1/paths/NAME
// (the router's limit), not a schema error (400).
const ListQuery = Type.Object({
  path: Type.Optional(Type.String({ minLength: 1, description: 'exact path name' })),
});
const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: MAX_PARAM_LENGTH }) });

/** The paths API. */
export const pathsApiRoutes: FastifyPluginAsync<Pick<ServerDeps, 'status' | 'explain' | 'now'>> = async (
  app,
  { status, explain, now = Date.now },
) => {
  /** The route's own compiled serialiser of one path, taken by the first request. */
  let serializeView: ((view: PathView) => string) | undefined;
  const listOf = (statuses: readonly PathStatus[]): Promise<Buffer> => renderPathList({
    source: status.sourceFilter() ?? null,
    generatedAt: new Date(now()).toISOString(),
    statuses,
    ...(explain ? { explain } : {}),
    serializeView: serializeView!,
  });
  // The whole list is built in slices (paths-list.ts) and shared by the requests that arrive while it is built.
  const everyPath = coalesce(async () => new EncodedBody(await listOf(status.list())));
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/api/v1/paths',
    {
      schema: {
        querystring: ListQuery,
        response: { 200: PathListSchema, 400: ApiErrorSchema, 414: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      const wanted = request.query.path;
      if (wanted !== undefined && wanted.length > MAX_PARAM_LENGTH) return sendError(reply, 'uriTooLong');
      serializeView ??= reply.compileSerializationSchema(PathViewSchema) as (view: PathView) => string;
      const body = wanted === undefined
        ? await everyPath()
        : new EncodedBody(await listOf(status.list().filter((s) => s.spec.name === wanted)));
      return sendEncoded(request, reply.type('application/json; charset=utf-8'), body);
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
